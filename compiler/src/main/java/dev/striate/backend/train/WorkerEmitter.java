package dev.striate.backend.train;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.autodiff.ReluPoolFusion;
import dev.striate.backend.MethodSplitter;
import dev.striate.ir.Node;
import dev.striate.train.Gemm;
import dev.striate.train.ReluBackward;
import dev.striate.train.TrainableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the inner {@code BatchWorker} class: per-worker arrays sized for {@code maxBatch}
 * samples (activations, gradients, saved state, parameter gradients), {@code forward} and
 * {@code backward} calling the layer methods in order, and the layer methods themselves. For a
 * deep model, the allocations and the lists of calls go through {@link MethodSplitter}'s chunk
 * methods so that every method stays small.
 */
final class WorkerEmitter {
    private static final TypeName FLOATS = ArrayTypeName.of(float.class);

    private final Slots slots;
    private final Node input;
    private final Node output;
    private final Map<String, NodeContext.Scratch> scratch;
    private final boolean inputGradient;
    private final ClassLayers classLayers;
    private final ReluBackward relu;
    private String refresh;

    WorkerEmitter(Slots slots, Node input, Node output, Map<String, NodeContext.Scratch> scratch, boolean inputGradient,
                  ClassLayers classLayers, ReluBackward relu) {
        this.classLayers = classLayers;
        this.relu = relu;
        this.slots = slots;
        this.input = input;
        this.output = output;
        this.scratch = scratch;
        this.inputGradient = inputGradient;
    }

    TypeSpec emit(List<MethodSpec> forward, List<MethodSpec> backward, List<MethodSpec> inference,
                  List<MethodSpec> inferenceOnly) {
        TypeSpec.Builder w = TypeSpec.classBuilder("BatchWorker")
                .addModifiers(Modifier.FINAL)
                .addSuperinterface(ClassName.get(TrainableModel.Worker.class))
                .addJavadoc("Activations, saved state and gradients for up to {@code maxBatch} samples; one thread at a time.\n")
                .addField(int.class, "maxBatch", Modifier.PRIVATE, Modifier.FINAL)
                .addField(long.class, "seed", Modifier.PRIVATE)
                .addField(boolean.class, "primary", Modifier.PRIVATE, Modifier.FINAL)
                .addField(int.class, "lastBatch", Modifier.PRIVATE)
                .addField(FieldSpec.builder(ArrayTypeName.of(FLOATS), "gradients", Modifier.PRIVATE, Modifier.FINAL).build())
                .addField(FieldSpec.builder(Gemm.class, "gemm", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Matrix products (convolutions, dense layers), with this worker's packing buffers.\n")
                        .initializer("new $T()", Gemm.class).build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(int.class, "maxBatch")
                .beginControlFlow("if (maxBatch < 1)")
                .addStatement("throw new $T(\"maxBatch must be positive: \" + maxBatch)", IllegalArgumentException.class)
                .endControlFlow()
                .addStatement("this.maxBatch = maxBatch")
                .addStatement("this.primary = claimPrimary()");
        // The arrays of a deep model are allocated by chunk methods (see MethodSplitter), so they cannot be final.
        List<FieldSpec> fields = new ArrayList<>();
        List<MethodSplitter.Step> allocations = new ArrayList<>();
        Set<String> arrays = new LinkedHashSet<>();
        for (Node n : slots.nodes) {
            for (String f : new String[] {slots.act.get(n.name()), slots.grad.get(n.name())}) {
                if (f != null && !slots.isAlias(n) && arrays.add(f)) {
                    fields.add(FieldSpec.builder(FLOATS, f, Modifier.PRIVATE).build());
                    allocations.add(step(10, "this.$L = new float[maxBatch * $L]", f, n.shape().size()));
                }
            }
        }
        for (NodeContext.Scratch s : scratch.values()) {
            fields.add(FieldSpec.builder(s.ints() ? int[].class : float[].class, s.field(), Modifier.PRIVATE).build());
            allocations.add(step(10, "this.$L = new $L[$L]", s.field(), s.ints() ? "int" : "float",
                    s.perSample() > 0 ? "maxBatch * " + s.perSample() : Integer.toString(s.fixed())));
        }
        List<Slots.Param> learned = slots.learned();
        StringBuilder all = new StringBuilder();
        for (Slots.Param p : learned) {
            fields.add(FieldSpec.builder(FLOATS, "d_" + p.field(), Modifier.PRIVATE).build());
            allocations.add(step(8, "this.d_$L = new float[$L]", p.field(),
                    Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b)));
            all.append(all.length() > 0 ? ", " : "").append("d_").append(p.field());
        }
        MethodSplitter.Split split = MethodSplitter.split(allocations, new MethodSplitter.Shape("allocate",
                name -> MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).addParameter(int.class, "maxBatch"),
                "$L(maxBatch)", 5, null), "the allocations");
        boolean finalFields = split.chunks().isEmpty() && learned.size() * 8 < MethodSplitter.CHUNK_BYTES;
        for (FieldSpec f : fields) {
            w.addField(finalFields ? f.toBuilder().addModifiers(Modifier.FINAL).build() : f);
        }
        ctor.addCode(split.body(null));
        if (finalFields) {
            ctor.addStatement("this.gradients = new float[][] {$L}", all);
        } else {
            ctor.addStatement("this.gradients = new float[$L][]", learned.size());
            List<MethodSplitter.Step> gradients = new ArrayList<>();
            for (int i = 0; i < learned.size(); i++) {
                gradients.add(step(8, "gradients[$L] = d_$L", i, learned.get(i).field()));
            }
            MethodSplitter.Split g = MethodSplitter.split(gradients, new MethodSplitter.Shape("listGradients",
                    name -> MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE), "$L()", 4, null),
                    "the gradient list");
            ctor.addCode(g.body(null));
            w.addMethods(g.chunks());
        }
        w.addMethods(split.chunks());
        refresh = classLayers.addToWorker(w);
        w.addMethod(ctor.build()).addMethod(forwardMethod(forward, w)).addMethod(backwardMethod(backward, w))
                .addMethod(inferMethod(inference, w))
                .addMethod(MethodSpec.methodBuilder("gradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(ArrayTypeName.of(FLOATS)).addStatement("return gradients").build())
                .addMethod(MethodSpec.methodBuilder("inputGradient").addModifiers(Modifier.PUBLIC).returns(FLOATS)
                        .addJavadoc("d loss / d input of the last backward pass, or null unless generated with input gradients.\n")
                        .addStatement("return $L", inputGradient ? slots.grad.get(input.name()) : "null").build());
        w.addMethods(forward).addMethods(backward).addMethods(inferenceOnly);
        return w.build();
    }

    private static MethodSplitter.Step step(int bytes, String format, Object... args) {
        return new MethodSplitter.Step(CodeBlock.builder().addStatement(format, args).build(), bytes, false);
    }

    /** Calls to the layer methods, inline or through chunk methods {@code prefix0(n), ...} added to {@code w}. */
    private static CodeBlock calls(List<MethodSpec> layers, String prefix, TypeSpec.Builder w) {
        List<MethodSplitter.Step> steps = new ArrayList<>();
        for (MethodSpec f : layers) {
            steps.add(new MethodSplitter.Step(CodeBlock.builder().addStatement("$N(n)", f).build(), 5, false));
        }
        return inline(steps, prefix, w);
    }

    private static CodeBlock inline(List<MethodSplitter.Step> steps, String prefix, TypeSpec.Builder w) {
        MethodSplitter.Split split = MethodSplitter.split(steps, new MethodSplitter.Shape(prefix,
                name -> MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).addParameter(int.class, "n"),
                "$L(n)", 5, null), "the " + prefix.replace("Steps", "") + " pass");
        w.addMethods(split.chunks());
        return split.body(null);
    }

    private MethodSpec forwardMethod(List<MethodSpec> forward, TypeSpec.Builder w) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(float[].class, "inputs").addParameter(int.class, "n")
                .addParameter(float[].class, "outputs").addParameter(long.class, "seed");
        checkBatch(m);
        m.addStatement("this.seed = seed")
                .addStatement("this.lastBatch = n")
                .addStatement("System.arraycopy(inputs, 0, $L, 0, n * INPUT_SIZE)", slots.act.get(input.name()));
        refreshCall(m);
        m.addCode(calls(forward, "forwardSteps", w));
        return m.addStatement("System.arraycopy($L, 0, outputs, 0, n * OUTPUT_SIZE)", slots.act.get(output.name())).build();
    }

    private MethodSpec inferMethod(List<MethodSpec> inference, TypeSpec.Builder w) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("infer").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Inference mode (running statistics, no dropout); overwrites the state saved by {@link #forward}.\n")
                .addParameter(float[].class, "inputs").addParameter(int.class, "n").addParameter(float[].class, "outputs");
        checkBatch(m);
        m.addStatement("this.lastBatch = 0")
                .addStatement("System.arraycopy(inputs, 0, $L, 0, n * INPUT_SIZE)", slots.act.get(input.name()));
        refreshCall(m);
        m.addCode(calls(inference, "inferSteps", w));
        return m.addStatement("System.arraycopy($L, 0, outputs, 0, n * OUTPUT_SIZE)", slots.act.get(output.name())).build();
    }

    private MethodSpec backwardMethod(List<MethodSpec> backward, TypeSpec.Builder w) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(float[].class, "dOutputs").addParameter(int.class, "n");
        checkBatch(m);
        m.beginControlFlow("if (n != lastBatch)")
                .addStatement("throw new $T(\"backward over \" + n + \" samples after a forward over \" + lastBatch)",
                        IllegalStateException.class)
                .endControlFlow();
        List<MethodSplitter.Step> clear = new ArrayList<>();
        for (Slots.Param p : slots.learned()) {
            clear.add(step(8, "$T.fill(d_$L, 0f)", Arrays.class, p.field()));
        }
        Set<String> zeroed = new LinkedHashSet<>();
        for (Node n : slots.nodes) {
            String g = slots.grad.get(n.name());
            if (g != null && !slots.isAlias(n) && !ReluPoolFusion.poolWritesGradient(slots.graph, n, relu) && zeroed.add(g)) {
                clear.add(step(14, "$T.fill($L, 0, n * $L, 0f)", Arrays.class, g, n.shape().size()));
            }
        }
        m.addCode(inline(clear, "clearSteps", w));
        String outGrad = slots.grad.get(output.name());
        if (outGrad != null) {
            m.addStatement("System.arraycopy(dOutputs, 0, $L, 0, n * OUTPUT_SIZE)", outGrad);
        }
        m.addCode(calls(backward, "backwardSteps", w));
        return m.build();
    }

    /** The live parameters into the worker's blob copy, before the class's layer methods read it. */
    private void refreshCall(MethodSpec.Builder m) {
        if (refresh != null) {
            m.addStatement("$L()", refresh);
        }
    }

    private static void checkBatch(MethodSpec.Builder m) {
        m.beginControlFlow("if (n < 1 || n > maxBatch)")
                .addStatement("throw new $T(\"batch of \" + n + \" samples; this worker holds 1 to \" + maxBatch)",
                        IllegalArgumentException.class)
                .endControlFlow();
    }
}
