package dev.striate.backend.train;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.MethodSplitter;
import dev.striate.backend.WeightBlob;
import dev.striate.backend.layers.BatchCode;
import dev.striate.backend.layers.EmitterFactory;
import dev.striate.backend.layers.LayerCode;
import dev.striate.backend.layers.LayerContext;
import dev.striate.backend.layers.ScratchRows;
import dev.striate.backend.layers.TanhHelper;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import dev.striate.train.Kernels;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The inference class's layer code inside a trainer, so that the trainer's forward pass is the
 * code that ships: for a node, the class's emitter ({@link EmitterFactory}, the same one
 * {@code ClassEmitter} calls) writes its layer method, which goes into the trainer class as a static
 * method, and the node's forward method runs it on each sample of the batch through per-worker
 * copies of one sample's inputs and output (the class's methods read one image at offset 0).
 * An emitter with a batched form ({@link dev.striate.backend.layers.LayerEmitter#emitBatch}, the
 * convolution's and the dense layer's) is called once over the whole batch instead, reading the live
 * parameters in PyTorch's layout, its matrix products on the worker's {@code Gemm} or the runtime's
 * kernels ({@link GemmProduct}).
 *
 * <p>The class's methods read their weights from a blob, laid out as each emitter chose. Each
 * worker has its own copy of the trainer's blob, refreshed at the start of every forward pass from
 * the live parameters by loops that {@link Relayout} derives from the emitter (constants, such as
 * normalization statistics, are copied from a static array), and its own scratch rows.
 *
 * <p>Training fusion plan: a layer whose backward needs its pre-activation (see
 * {@link dev.striate.autodiff.GradRule#keptPreActivation}) runs the class's code without its
 * activation, keeps that output, then runs the class's code of the activation alone; a max pool
 * whose backward needs its argmax ({@link dev.striate.autodiff.GradRule#keptArgmax}) runs the
 * class's training form of the pool ({@link LayerContext#methodWithArgmax}) on the batch arrays in
 * place and keeps the indices.
 */
final class ClassLayers {
    /** The static array of the blob's constants. */
    private static final String CONSTANTS = "CLASS_CONSTANTS";
    /** The most constants embedded as one array literal (its initializer takes about 8 bytes each). */
    private static final int MAX_CONSTANTS = 4096;
    /** Probe codes are exact in a float below 2^24. */
    private static final int MAX_PROBE_CODE = 1 << 24;

    private final Slots slots;
    private final Map<String, NodeContext.Scratch> scratch;
    private final WeightBlob blob = new WeightBlob();
    private final ScratchRows rows = new ScratchRows();
    private final List<MethodSpec> methods = new ArrayList<>();
    private final List<MethodSplitter.Step> refresh = new ArrayList<>();
    private final List<Float> constants = new ArrayList<>();
    private String rowsField;

    ClassLayers(Slots slots, Map<String, NodeContext.Scratch> scratch) {
        this.slots = slots;
        this.scratch = scratch;
    }

    /**
     * The forward method of {@code ctx}'s node: the class's layer method (and its softmax step) on
     * each sample, named and documented by {@code ctx}; with {@code preActivation} (an array of the
     * batch, or null) the layer's output before its activation is kept there; with {@code argmax}
     * (an int array of the batch, or null) see {@link #trainingForm}.
     */
    MethodSpec forward(NodeContext ctx, String preActivation, String argmax) {
        if (argmax != null) {
            if (preActivation != null) {
                throw unsupported(ctx.node(), "a layer keeping both its pre-activation and its argmax is not planned");
            }
            return trainingForm(ctx, argmax);
        }
        Node node = ctx.node();
        Activation activation = null;
        Node emitted = node;
        if (preActivation != null) {
            LinearLayer layer = (LinearLayer) node.op();
            activation = layer.activation();
            emitted = node.withOp(layer.withActivation(Activation.IDENTITY));
        } else if (ctx.reluMaskedByPool()) {
            // the ReLU of a conv read only by a max pool: applied to the pool's output (ReluPoolFusion)
            emitted = node.withOp(((LinearLayer) node.op()).withActivation(Activation.IDENTITY));
        }
        List<Shape> inputs = ctx.inputShapes();
        String name = slots.method("class_" + slots.ident.get(node.name()));
        GemmProduct product = new GemmProduct(ctx.gemm());
        BatchCode batch = EmitterFactory.forOp(emitted.op()).emitBatch(new LayerContext(slots.graph, emitted, inputs,
                name, new WeightBlob(), new ScratchRows()), product);
        if (batch != null) {
            return deferred(ctx, batchForward(ctx, batch, product, activation, preActivation));
        }
        LayerCode code = emit(emitted, inputs, name, false);
        List<String> args = new ArrayList<>();
        if (code.usesWeights()) {
            args.add(weights());
        }
        CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int s = 0; s < n; s++)");
        for (int i = 0; i < inputs.size(); i++) {
            int size = inputs.get(i).size();
            String copy = buffer("in" + i, size);
            b.addStatement("System.arraycopy($L, s * $L, $L, 0, $L)", ctx.inAct(i), size, copy, size);
            args.add(copy);
        }
        int outSize = ctx.out().size();
        String out = buffer("out", outSize);
        args.add(out);
        if (rows.takeUsed()) {
            args.add(rows());
        }
        b.addStatement("$N($L)", code.method(), String.join(", ", args));
        if (code.softmax() != null) {
            methods.add(code.softmax());
            b.addStatement("$N($L)", code.softmax(), out);
        }
        if (preActivation != null) {
            LayerCode act = emit(node.withOp(new Activate(activation)), List.of(ctx.out()),
                    slots.method("class_" + slots.ident.get(node.name()) + "_activation"), false);
            b.addStatement("System.arraycopy($L, 0, $L, s * $L, $L)", out, preActivation, outSize, outSize)
                    .addStatement("$N($L, $L)", act.method(), out, out);
        }
        b.addStatement("System.arraycopy($L, 0, $L, s * $L, $L)", out, ctx.outAct(), outSize, outSize)
                .endControlFlow();
        return deferred(ctx, ctx.method("forward_")
                .addJavadoc("The inference class's code ($N), one sample at a time.\n", code.method())
                .addCode(b.build()).build());
    }

    /** {@code forward}, its javadoc saying where its ReLU went when the max pool reading it applies it. */
    private static MethodSpec deferred(NodeContext ctx, MethodSpec forward) {
        if (!ctx.reluMaskedByPool()) {
            return forward;
        }
        return forward.toBuilder()
                .addJavadoc("Without its ReLU: the max pool that alone reads it applies it to its own output.\n").build();
    }

    /**
     * The forward method of {@code ctx}'s node from the class's batched form: one call over the
     * batch, reading the live parameters; then the softmax step on each sample, or, when the
     * pre-activation is kept, the class's code of the activation on each sample.
     */
    private MethodSpec batchForward(NodeContext ctx, BatchCode batch, GemmProduct product, Activation activation,
                                    String preActivation) {
        methods.add(batch.method());
        List<String> args = new ArrayList<>();
        for (String param : batch.params()) {
            args.add(ctx.param(param));
        }
        args.add(ctx.inAct(0));
        args.add(ctx.outAct());
        args.add("n");
        for (int i = 0; i < batch.scratch().size(); i++) {
            args.add(buffer("batch" + i, batch.scratch().get(i)));
        }
        args.addAll(product.arguments());
        CodeBlock.Builder b = CodeBlock.builder().addStatement("$N($L)", batch.method(), String.join(", ", args));
        int outSize = ctx.out().size();
        MethodSpec step = batch.softmax();
        if (step != null) {
            methods.add(step);
        }
        if (preActivation != null) {
            Node node = ctx.node();
            b.addStatement("System.arraycopy($L, 0, $L, 0, n * $L)", ctx.outAct(), preActivation, outSize);
            step = emit(node.withOp(new Activate(activation)), List.of(ctx.out()),
                    slots.method("class_" + slots.ident.get(node.name()) + "_activation"), false).method();
        }
        if (step != null) {
            String out = buffer("out", outSize);
            b.beginControlFlow("for (int s = 0; s < n; s++)")
                    .addStatement("System.arraycopy($L, s * $L, $L, 0, $L)", ctx.outAct(), outSize, out, outSize)
                    .addStatement("$N($L)", step, step.parameters().size() == 1 ? out : out + ", " + out)
                    .addStatement("System.arraycopy($L, 0, $L, s * $L, $L)", out, ctx.outAct(), outSize, outSize)
                    .endControlFlow();
        }
        return ctx.method("forward_")
                .addJavadoc("The inference class's batched code ($N).\n", batch.method())
                .addCode(b.build()).build();
    }

    /**
     * The forward method of a max pool whose backward needs its argmax: the class's training form of
     * the layer ({@link LayerContext#methodWithArgmax}) on each sample of the batch arrays in place,
     * keeping the argmax indices (in the batch's input array) in {@code argmax}.
     */
    private MethodSpec trainingForm(NodeContext ctx, String argmax) {
        Node node = ctx.node();
        List<Shape> inputs = ctx.inputShapes();
        LayerCode code = emit(node, inputs, slots.method("class_" + slots.ident.get(node.name())), true);
        List<ParameterSpec> params = code.method().parameters();
        if (inputs.size() != 1 || code.usesWeights() || rows.takeUsed() || code.softmax() != null || params.size() != 5
                || !params.get(2).name().equals(LayerContext.ARGMAX)) {
            throw unsupported(node, "its emitter has no training form recording the argmax");
        }
        CodeBlock.Builder body = CodeBlock.builder()
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("$N($L, $L, $L, s * $L, s * $L)", code.method(), ctx.inAct(0), ctx.outAct(), argmax,
                        inputs.get(0).size(), ctx.out().size())
                .endControlFlow();
        if (ctx.poolMasksInputRelu()) {
            // the input conv's ReLU, left out of its forward (ReluPoolFusion): max(relu(x)) = relu(max(x)) bit for bit,
            // and the argmax of x is that of relu(x) wherever the output is positive, the only place the backward uses it
            body.addStatement("$T.relu($L, 0, n * $L)", Kernels.class, ctx.outAct(),
                    ctx.out().size());
        }
        return ctx.method("forward_")
                .addJavadoc("The inference class's code ($N) in its training form, one sample at a time.\n",
                        code.method())
                .addCode(body.build()).build();
    }

    /**
     * Emits {@code node}'s class code as {@code name} (its training form recording the argmax when
     * {@code argmax}), records how its blob segment is refreshed, keeps the methods.
     */
    private LayerCode emit(Node node, List<Shape> inputs, String name, boolean argmax) {
        int start = blob.size();
        LayerCode code = EmitterFactory.forOp(node.op()).emit(new LayerContext(slots.graph, node, inputs, name, blob,
                rows, argmax));
        methods.add(code.method());
        int end = blob.size();
        if (end == start) {
            return code;
        }
        List<ParamSpec> params = node.op().params(inputs);
        if (params.isEmpty()) {
            float[] all = blob.floats();
            refresh.add(step(CodeBlock.builder().addStatement("System.arraycopy($L, $L, $L, $L, $L)", CONSTANTS,
                    constants.size(), weights(), start, end - start).build(), 16));
            for (int i = start; i < end; i++) {
                constants.add(all[i]);
            }
            return code;
        }
        int[] bases = new int[params.size()];
        int[] sizes = new int[params.size()];
        int total = 1;
        for (int k = 0; k < params.size(); k++) {
            bases[k] = total;
            sizes[k] = params.get(k).shape().size();
            total += sizes[k];
        }
        if (2L * total >= MAX_PROBE_CODE) {
            throw unsupported(node, "it has more than " + (MAX_PROBE_CODE / 2) + " weights");
        }
        float[] a = probe(node, inputs, params, bases, 0);
        float[] b = probe(node, inputs, params, bases, total);
        if (a.length != end - start || b.length != a.length) {
            throw unsupported(node, "its blob depends on the weights' values");
        }
        List<Relayout.Group> groups = Relayout.find(a, b, 0, a.length, bases, sizes, total);
        if (groups == null) {
            throw unsupported(node, "its blob is not a re-layout of its parameters");
        }
        for (Relayout.Group g : groups) {
            String source = slots.paramByKey.get(node.paramKey(params.get(g.param()).name())).field();
            Relayout.Group placed = new Relayout.Group(g.param(), start + g.start(), g.from(), g.counts(), g.strides());
            refresh.add(step(Relayout.copy(placed, source, weights()), 24 + 12 * g.counts().length));
        }
        return code;
    }

    /** The blob {@code node}'s emitter writes when its parameter {@code k} holds codes {@code bases[k] + shift + i}. */
    private float[] probe(Node node, List<Shape> inputs, List<ParamSpec> params, int[] bases, int shift) {
        Map<String, Tensor> weights = new LinkedHashMap<>(slots.graph.weights());
        for (int k = 0; k < params.size(); k++) {
            String key = node.paramKey(params.get(k).name());
            float[] codes = new float[params.get(k).shape().size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = bases[k] + shift + i;
            }
            weights.put(key, new Tensor(key, params.get(k).shape().dims(), codes));
        }
        Graph probeGraph = slots.graph.withWeights(weights);
        WeightBlob probeBlob = new WeightBlob();
        EmitterFactory.forOp(node.op()).emit(new LayerContext(probeGraph, node, inputs, "probe", probeBlob,
                new ScratchRows()));
        return probeBlob.floats();
    }

    private static IllegalStateException unsupported(Node node, String why) {
        return new IllegalStateException("the trainer cannot run the class's code of " + node.op().kind() + " "
                + node.name() + ": " + why);
    }

    private static MethodSplitter.Step step(CodeBlock code, int bytes) {
        return new MethodSplitter.Step(code, bytes, false);
    }

    /** The worker's copy of the blob, grown to the blob's size. */
    private String weights() {
        return buffer("weights", Math.max(1, blob.size()));
    }

    /** The worker's scratch rows field. */
    private String rows() {
        if (rowsField == null) {
            rowsField = slots.field("class_rows");
        }
        return rowsField;
    }

    /** The worker's float buffer {@code role}, grown to hold {@code size} floats. */
    private String buffer(String role, int size) {
        String key = "class/" + role;
        NodeContext.Scratch s = scratch.get(key);
        String field = s != null ? s.field() : slots.field("class_" + role);
        if (s == null || s.fixed() < size) {
            scratch.put(key, new NodeContext.Scratch(field, false, 0, s == null ? size : Math.max(size, s.fixed())));
        }
        return field;
    }

    /**
     * The worker's additions: its scratch rows, and the method refreshing its blob copy from the live
     * parameters; returns that method's name, or null when no class code reads a blob.
     */
    String addToWorker(TypeSpec.Builder worker) {
        if (rowsField != null) {
            worker.addField(FieldSpec.builder(float[][].class, rowsField, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("classRows()").build());
        }
        if (refresh.isEmpty()) {
            return null;
        }
        MethodSplitter.Split split = MethodSplitter.split(refresh, new MethodSplitter.Shape("refreshClassWeights",
                name -> MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE), "$L()", 4, null),
                "the weights refresh");
        worker.addMethods(split.chunks());
        String name = slots.method("refreshClassWeights");
        worker.addMethod(MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
                .addJavadoc("Copies the live parameters into this worker's blob, laid out as the class's methods read it.\n")
                .addCode(split.body(null)).build());
        return name;
    }

    /** Adds the layer methods, the blob's offsets, its constants and the helpers they call to the trainer class. */
    void addTo(TypeSpec.Builder type) {
        type.addMethods(methods);
        if (TanhHelper.neededBy(methods)) {
            type.addMethod(TanhHelper.method());
        }
        ScratchRows.addConstants(type, blob, rows);
        if (rowsField != null) {
            addRowsMethod(type);
        }
        if (constants.isEmpty()) {
            return;
        }
        if (constants.size() > MAX_CONSTANTS) {
            throw new IllegalStateException("the class's layer methods put " + constants.size() + " constants in the"
                    + " blob; the trainer embeds at most " + MAX_CONSTANTS);
        }
        CodeBlock.Builder values = CodeBlock.builder().add("{");
        for (int i = 0; i < constants.size(); i++) {
            values.add(i == 0 ? "$L" : ", $L", Lit.f(constants.get(i)));
        }
        type.addField(FieldSpec.builder(float[].class, CONSTANTS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The constants the class's layer methods read (normalization statistics).\n")
                .initializer(values.add("}").build()).build());
    }

    /** {@code classRows()}: a new set of the scratch rows the class's methods asked for. */
    private void addRowsMethod(TypeSpec.Builder type) {
        List<Integer> runs = rows.runs();
        MethodSpec.Builder m = MethodSpec.methodBuilder("classRows").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Scratch rows for the class's layer methods ($L floats), one set per worker.\n", rows.floats())
                .returns(float[][].class);
        int count = 0;
        for (int i = 0; i < runs.size(); i += 2) {
            count += runs.get(i);
        }
        m.addStatement("float[][] r = new float[$L][]", count).addStatement("int k = 0");
        for (int i = 0; i < runs.size(); i += 2) {
            m.beginControlFlow("for (int j = 0; j < $L; j++)", runs.get(i))
                    .addStatement("r[k++] = new float[$L]", runs.get(i + 1))
                    .endControlFlow();
        }
        type.addMethod(m.addStatement("return r").build());
    }
}
