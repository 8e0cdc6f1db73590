package dev.striate.backend;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.layers.EmitterFactory;
import dev.striate.backend.layers.FourRowPasses;
import dev.striate.backend.layers.LayerCode;
import dev.striate.backend.layers.LayerContext;
import dev.striate.backend.layers.LayerEmitter;
import dev.striate.backend.layers.ScalarWinograd;
import dev.striate.backend.layers.ScratchRows;
import dev.striate.backend.layers.SimdClass;
import dev.striate.backend.layers.TanhHelper;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.passes.MemoryPlan;
import dev.striate.passes.PlanMemory;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Assembles the generated class: constants, instance state (the weights and the scratch buffers
 * of the {@link MemoryPlan}), the API, the {@code run} method calling one method per layer (split
 * into chunks for deep models, see {@link RunMethods}), the layer methods from the emitters, and
 * the weights loader. Fills the {@link WeightBlob} as a
 * side effect, in the order the layer methods read it.
 */
final class ClassEmitter {
    private final Graph graph;
    private final List<Node> nodes;
    private final GenerateOptions options;
    private final ClassName self;
    private final WeightBlob blob = new WeightBlob();
    private ClassFootprint footprint;

    ClassEmitter(Graph graph, List<Node> nodes, GenerateOptions options) {
        this.graph = graph;
        this.nodes = nodes;
        this.options = options;
        this.self = ClassName.get(options.packageName(), options.className());
    }

    WeightBlob blob() {
        return blob;
    }

    /** What one instance of the class allocates; set by {@link #emit}. */
    ClassFootprint footprint() {
        return footprint;
    }

    JavaFile emit() {
        Node input = graph.inputs().get(0);
        Node output = graph.node(graph.outputs().get(0));
        MemoryPlan plan = PlanMemory.plan(graph, nodes, output.name());
        MethodNames names = new MethodNames();
        ScratchRows rows = new ScratchRows();

        List<MethodSpec> layerMethods = new ArrayList<>();
        List<RunMethods.Step> steps = new ArrayList<>();
        boolean skippable = false;
        Map<String, SimdClass.ScalarLayer> scalarLayers = new HashMap<>();
        long winogradFloats = 0;
        for (Node n : nodes) {
            if (!EmitterFactory.hasCode(n.op())) {
                continue;
            }
            LayerEmitter emitter = EmitterFactory.forOp(n.op());
            LayerContext ctx = new LayerContext(graph, n, graph.inputShapes(n), names.forLayer(n.name()), blob, rows);
            int blobStart = blob.size();
            LayerCode code = emitter.emit(ctx);
            winogradFloats += ScalarWinograd.transformedFloats(n.op(), ctx.in(), ctx.out());
            layerMethods.add(code.method());
            List<String> args = new ArrayList<>();
            if (code.usesWeights()) {
                args.add("w");
            }
            for (String in : n.inputs()) {
                args.add(plan.storageOf(in));
            }
            String target = plan.storageOf(n.name());
            args.add(target);
            boolean usesRows = rows.takeUsed();
            if (usesRows) {
                args.add(ScratchRows.NAME);
            }
            scalarLayers.put(n.name(), new SimdClass.ScalarLayer(code.method().name(), code.usesWeights(), usesRows,
                    code.softmax() == null ? null : code.softmax().name(), blobStart, blob.size()));
            CodeBlock.Builder run = CodeBlock.builder();
            run.add("// $L: $L$L\n", JavaText.comment(n.name()), n.op().kind(), ctx.shapes().isEmpty() ? "" : " " + ctx.shapes());
            run.addStatement("$L($L)", code.method().name(), String.join(", ", args));
            int bytes = RunMethods.callBytes(args);
            if (code.softmax() != null) {
                layerMethods.add(code.softmax());
                boolean last = n.name().equals(plan.outputRoot());
                bytes += RunMethods.callBytes(List.of(target));
                if (last && n.shape().plane() == 1) {
                    skippable = true;
                    bytes += 4;
                    run.beginControlFlow("if (probabilities)")
                            .addStatement("$L($L)", code.softmax().name(), target)
                            .endControlFlow();
                } else {
                    run.addStatement("$L($L)", code.softmax().name(), target);
                }
            }
            steps.add(new RunMethods.Step(run.build(), bytes, code.usesWeights()));
        }
        if (plan.outputIsInput()) {
            steps.add(new RunMethods.Step(CodeBlock.builder()
                    .addStatement("System.arraycopy(input, 0, output, 0, $L)", output.shape().size()).build(), 12, false));
        }

        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc(ClassDoc.build(graph, nodes, options.className(), options.singleFile(), blob.size()));
        addConstants(type, input.shape(), output.shape());
        ScratchRows.addConstants(type, blob, rows);
        type.addField(FieldSpec.builder(float[].class, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        footprint = new ClassFootprint(plan.bufferSizes(), rows.floats(),
                ApiMethods.classifies(output.shape()) ? output.shape().size() : 0, blob.size(), winogradFloats);
        for (int b = 0; b < footprint.bufferFloats().size(); b++) {
            type.addField(FieldSpec.builder(float[].class, "buf" + b, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", footprint.bufferFloats().get(b)).build());
        }
        if (rows.any()) {
            addRows(type, rows);
        }
        if (footprint.resultFloats() > 0) {
            type.addField(FieldSpec.builder(float[].class, "result", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[OUTPUT_SIZE]").build());
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "weights")
                .addStatement("this.weights = weights");
        CodeBlock runPrefix = CodeBlock.of("");
        TypeSpec simd = null;
        if (options.vector()) {
            simd = SimdClass.build(graph, nodes, scalarLayers, self, rows.any(), plan.outputRoot());
            runPrefix = addVector(type, constructor, simd, rows.any());
        }
        type.addMethod(constructor.build());
        new WeightsLoader(self, blob.toBytes(), blob.size(), options.singleFile()).addTo(type);
        boolean blocks = simd != null && SimdClass.runsBatches(simd);
        if (blocks) {
            addRunBlock(type);
        }
        new ApiMethods(self, input.shape(), output.shape(), skippable, graph.labels(), blocks).addTo(type);
        if (graph.pixelNormalization() != null) {
            new PixelApi(graph.pixelNormalization(), input.shape(), ApiMethods.classifies(output.shape())).addTo(type);
        }
        RunMethods.build(steps, runPrefix).forEach(type::addMethod);
        layerMethods.forEach(type::addMethod);
        if (FourRowPasses.neededBy(layerMethods)) {
            type.addField(FourRowPasses.field());
        }
        if (TanhHelper.neededBy(layerMethods)) {
            type.addMethod(TanhHelper.method());
        }
        if (ScalarWinograd.neededBy(layerMethods)) {
            ScalarWinograd.addTo(type);
        }
        if (simd != null) {
            type.addType(simd);   // last: the vector variant is the scalar class followed by its vector class
        }
        return JavaFile.builder(options.packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /**
     * The vector variant's additions besides the nested vector class {@code simd} itself (added last by
     * {@link #emit}): the flag deciding once whether {@code jdk.incubator.vector} is there and the
     * instance's reference to the vector class; returns the start of {@code run} that hands the call to it.
     */
    private CodeBlock addVector(TypeSpec.Builder type, MethodSpec.Builder constructor, TypeSpec simd, boolean hasRows) {
        ClassName simdName = self.nestedClass(simd.name());
        type.addField(FieldSpec.builder(boolean.class, "VECTOR_API", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("True when the module {@code jdk.incubator.vector} is in the boot layer and {@link $T#worthwhile}\n"
                        + "(vectors of at least 4 floats, 8 on x86; {@code -Dstriate.kernel=scalar|vector} overrides): then\n"
                        + "predictions run {@link $T}, else the scalar code of this class.\n", simdName, simdName)
                .initializer("$T.boot().findModule($S).isPresent() && $T.worthwhile()", ModuleLayer.class,
                        "jdk.incubator.vector", simdName)
                .build());
        type.addField(FieldSpec.builder(simdName, "simd", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addJavadoc("\n<p>Vector variant: run with {@code --add-modules jdk.incubator.vector} and predictions use the\n"
                + "Vector API kernels of the nested class {@code $L} (results within float rounding of the scalar code);\n"
                + "without the module, on an x86 JVM without AVX2, or with {@code -Dstriate.kernel=scalar}, they run the\n"
                + "scalar code of this class. Compile with\n"
                + "{@code javac --release 17 --add-modules jdk.incubator.vector}.\n", simd.name());
        constructor.addStatement("this.simd = VECTOR_API ? new $T(weights$L) : null", simdName,
                hasRows ? ", " + ScratchRows.NAME : "");
        return CodeBlock.builder()
                .beginControlFlow("if (simd != null)")
                .addStatement("simd.run(input, output, probabilities)")
                .addStatement("return")
                .endControlFlow()
                .build();
    }

    /**
     * {@code runBlock}, which the batch methods call for each block of images: the vector class's
     * {@code runBatch} (its dense layers as one product over the block) when it runs, else {@code run} per image.
     */
    private static void addRunBlock(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("runBlock")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Runs images {@code from .. to - 1} of {@code inputs} into {@code outputs}, with probabilities:\n"
                        + "the same results as {@code run} on each, bit for bit.\n")
                .addParameter(float[][].class, "inputs")
                .addParameter(float[][].class, "outputs")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .beginControlFlow("if (simd != null)")
                .addStatement("simd.runBatch(inputs, outputs, from, to)")
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("for (int i = from; i < to; i++)")
                .addStatement("run(inputs[i], outputs[i], true)")
                .endControlFlow()
                .build());
    }

    /** The ragged scratch rows field and the static helper that allocates it. */
    private static void addRows(TypeSpec.Builder type, ScratchRows rows) {
        List<String> runs = new ArrayList<>();
        rows.runs().forEach(v -> runs.add(String.valueOf(v)));
        type.addField(FieldSpec.builder(float[][].class, ScratchRows.NAME, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Scratch rows of the convolution and dense layers ($L floats), allocated as (count, length) runs.\n",
                        rows.floats())
                .initializer("newRows($L)", String.join(", ", runs)).build());
        type.addMethod(MethodSpec.methodBuilder("newRows")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Allocates ragged rows from (count, length) pairs.\n")
                .returns(float[][].class)
                .addParameter(int[].class, "runs")
                .varargs()
                .addStatement("int n = 0")
                .beginControlFlow("for (int i = 0; i < runs.length; i += 2)")
                .addStatement("n += runs[i]")
                .endControlFlow()
                .addStatement("float[][] r = new float[n][]")
                .addStatement("int k = 0")
                .beginControlFlow("for (int i = 0; i < runs.length; i += 2)")
                .beginControlFlow("for (int j = 0; j < runs[i]; j++)")
                .addStatement("r[k++] = new float[runs[i + 1]]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return r")
                .build());
    }

    /** The public shape constants (INPUT_SIZE, OUTPUT_SIZE, ...) of a class taking {@code in} and giving {@code out}. */
    static void addConstants(TypeSpec.Builder type, Shape in, Shape out) {
        if (in.rank() == 3) {
            constant(type, "INPUT_CHANNELS", in.channels(), "Channels of the input image.");
            constant(type, "INPUT_HEIGHT", in.height(), "Rows of the input image.");
            constant(type, "INPUT_WIDTH", in.width(), "Columns of the input image.");
        }
        constant(type, "INPUT_SIZE", in.size(), "Floats in one input, " + in + ".");
        constant(type, "OUTPUT_SIZE", out.size(), "Floats in one output, " + out + ".");
        if (ApiMethods.classifies(out)) {
            constant(type, "CLASS_COUNT", out.size(), "Number of classes (the output is one score per class).");
        }
    }

    private static void constant(TypeSpec.Builder type, String name, int value, String doc) {
        type.addField(FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", doc)
                .initializer("$L", value).build());
    }
}
