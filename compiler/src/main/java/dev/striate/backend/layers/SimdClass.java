package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.MethodSplitter;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * The nested class of the vector variant that runs the forward pass on {@code jdk.incubator.vector}:
 * activations stored HWC (channels innermost) where a vector kernel made them, weights packed once per
 * weights array at load time for the running JVM's vector length (nested class {@code Packed}), and the scalar layer methods of the enclosing class
 * (its scalar twin) reused for every op without a vector kernel, behind a layout conversion. Which op
 * runs how is decided per node by {@link VectorEmitters}.
 *
 * <p>Values share buffers once dead (a value's buffer is free after its last reader runs, as in the
 * scalar class's memory plan); the layers' padded scratch copies are their own (they keep zero borders
 * between calls); converted copies are made once per value and layout.
 */
public final class SimdClass {
    /** Layout of a value in memory. */
    enum Layout {
        /** Channel-major, as the scalar class and PyTorch store it. */
        CHW,
        /** Channels innermost; for a flat value, the flattening of the HWC map {@code Val#map}. */
        HWC
    }

    /** A value: the array holding it, its layout, and for HWC the map shape whose element order it has. */
    record Val(String buf, Layout layout, Shape map) {
        static Val chw(String buf) {
            return new Val(buf, Layout.CHW, null);
        }
    }

    /**
     * What the scalar class emitted for one node: its layer method, whether that method reads the
     * weights and the scratch rows, its softmax step (or null), and the range of the weights blob it
     * filled (where the vector class finds the layer's weights to pack).
     */
    public record ScalarLayer(String method, boolean usesWeights, boolean usesRows, String softmax, int blobStart,
                              int blobEnd) {
    }

    /**
     * A dense layer of the model's last run of dense layers (see {@link #runsBatches}): its method, the buffer
     * holding its input after {@code run}'s earlier steps, its sizes, the body of its batch method
     * {@code methodBatch(in, out, nb)} (one product over {@code nb} images whose inputs are rows of {@code in}),
     * and the enclosing class's softmax step for its result, or null.
     */
    record BatchDense(String method, String input, int inputs, int units, CodeBlock body, String softmax) {
    }

    /** Images per block of {@code runBatch}: the rows of its dense products. */
    static final int BATCH = 8;
    /**
     * The fewest weights of the last dense layers for which {@code runBatch} is made: below (tiny_resnet's
     * 16 x 10), reading them once per image costs nothing worth the copies into the block's rows.
     */
    static final int MIN_BATCH_WEIGHTS = 4096;

    /** The run method's parameter receiving the model's output. */
    private static final String OUTPUT = "output";
    /** The prefix of the value buffers' fields. */
    private static final String VALUE_BUFFER = "v";

    final Graph graph;
    final ClassName outer;
    final SimdKernels kernels = new SimdKernels();
    final List<FieldSpec> fields = new ArrayList<>();
    final List<MethodSplitter.Step> pack = new ArrayList<>();
    private final List<FieldSpec> packedFields = new ArrayList<>();
    final List<MethodSplitter.Step> run = new ArrayList<>();
    final List<MethodSpec> methods = new ArrayList<>();
    final Map<String, Val> values = new HashMap<>();
    private final Map<String, String> chwCopies = new HashMap<>();
    private final String outputRoot;
    /** Sizes of the value buffers {@code v0, v1, ...}, each the largest value it holds. */
    private final List<Integer> valueBuffers = new ArrayList<>();
    /** The value buffers free for reuse at the current point of the run. */
    private final TreeSet<Integer> free = new TreeSet<>();
    private boolean origin;
    private boolean rowKernels;
    private boolean spill;
    /** The dense layers ending the run so far (cleared by any other computing node). */
    private final List<BatchDense> tail = new ArrayList<>();
    /** The run step where {@link #tail} starts. */
    private int tailStart;
    /**
     * While a node is emitted: whether its first input is the only value alive and dies at this node, so that a
     * Winograd layer may be gathered across a block's images ({@link SimdBatchConv}).
     */
    boolean alone;
    /** The gathered layer the node being emitted registered, completed with its buffers once it is emitted. */
    SimdBatchConv.Layer pendingBatchConv;
    /** The Winograd layers {@code runBatch} gathers across a block's images, in run order. */
    private final List<SimdBatchConv.Layer> batchConvs = new ArrayList<>();

    private SimdClass(Graph graph, ClassName outer, String outputRoot) {
        this.graph = graph;
        this.outer = outer;
        this.outputRoot = outputRoot;
    }

    /** The nested class's simple name: {@code Simd}, or {@code SimdPath} inside a class called {@code Simd}. */
    public static String name(ClassName outer) {
        return outer.simpleName().equals("Simd") ? "SimdPath" : "Simd";
    }

    /**
     * Builds the nested class for {@code nodes} (topological, as the scalar class runs them), given
     * what the scalar class emitted for each computing node, whether the scalar class has scratch
     * rows, and the node whose method writes the output (see {@code BufferPlan#outputRoot}).
     */
    public static TypeSpec build(Graph graph, List<Node> nodes, Map<String, ScalarLayer> scalar, ClassName outer,
                                 boolean hasRows, String outputRoot) {
        SimdClass c = new SimdClass(graph, outer, outputRoot);
        Node input = graph.inputs().get(0);
        c.values.put(input.name(), Val.chw("input"));
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            lastUse.put(nodes.get(i).name(), i);
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
        lastUse.put(graph.outputs().get(0), Integer.MAX_VALUE);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n != input) {
                int dense = c.tail.size();
                String first = n.inputs().isEmpty() ? null : n.inputs().get(0);
                c.alone = first != null && c.values.size() == 1 && c.values.containsKey(first)
                        && lastUse.get(first) == i;
                n.op().accept(new VectorEmitters(c, n, scalar.get(n.name())));
                if (c.pendingBatchConv != null) {
                    SimdBatchConv.Layer p = c.pendingBatchConv;
                    c.batchConvs.add(new SimdBatchConv.Layer(p.step(), p.method(), c.values.get(first).buf(),
                            c.values.get(n.name()).buf(), p.tiles(), p.c(), p.f(), p.copyIn(), p.transformIn(), p.post(),
                            p.transformOut()));
                    c.pendingBatchConv = null;
                }
                if (c.tail.size() == dense && !(n.op() instanceof Flatten) && !(n.op() instanceof Dropout)) {
                    c.tail.clear();
                }
            }
            c.release(lastUse, i);
        }
        Node output = graph.node(graph.outputs().get(0));
        String result = c.need(output.name(), output.shape());
        if (!result.equals(OUTPUT)) {
            c.run.add(step(CodeBlock.builder().addStatement("System.arraycopy($L, 0, output, 0, $L)", result,
                    output.shape().size()).build(), 12));
        }
        if (!c.batchable(result)) {
            c.tail.clear();
        }
        return c.type(hasRows);
    }

    private TypeSpec type(boolean hasRows) {
        for (BatchDense d : tail) {
            packedField(TypeName.get(int[][].class), "rows_" + d.method(), CodeBlock.of("batchRows($L)", d.inputs()));
        }
        String name = name(outer);
        TypeSpec.Builder t = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The forward pass on the Vector API ({@code jdk.incubator.vector}); loaded only when that\n"
                        + "module is present. Activations are stored HWC where a vector kernel produced them; ops\n"
                        + "without a vector kernel run the enclosing class's scalar layer method on a CHW copy.\n")
                .addField(FieldSpec.builder(SimdKernels.SPECIES, "S", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.SPECIES_PREFERRED", SimdKernels.FLOAT_VECTOR).build())
                .addField(FieldSpec.builder(int.class, "L", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("S.length()").build())
                .addField(FieldSpec.builder(SimdKernels.MASK, "ALL", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL).initializer("S.maskAll(true)").build())
                .addField(FieldSpec.builder(float[].class, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        if (hasRows) {
            t.addField(FieldSpec.builder(float[][].class, ScratchRows.NAME, Modifier.PRIVATE, Modifier.FINAL).build());
        }
        fields.forEach(t::addField);
        for (int v = 0; v < valueBuffers.size(); v++) {
            t.addField(FieldSpec.builder(float[].class, VALUE_BUFFER + v, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", valueBuffers.get(v)).build());
        }
        t.addMethod(MethodSpec.methodBuilder("worthwhile")
                .addModifiers(Modifier.STATIC)
                .returns(boolean.class)
                .addJavadoc("True when the preferred vector holds at least 4 floats (else the scalar code is faster).\n")
                .addStatement("return L >= 4")
                .build());
        TypeSpec packed = packedType(name);
        t.addField(FieldSpec.builder(ClassName.get("", packed.name()), "packed", Modifier.PRIVATE, Modifier.FINAL).build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
                .addParameter(float[].class, "weights")
                .addStatement("this.weights = weights")
                .addStatement("this.packed = $L.of(weights)", packed.name());
        if (hasRows) {
            ctor.addParameter(float[][].class, ScratchRows.NAME).addStatement("this.$L = $L", ScratchRows.NAME,
                    ScratchRows.NAME);
        }
        t.addMethod(ctor.build());
        List<MethodSplitter.Step> steps = run;
        String perImage = batchConvs.isEmpty() ? "runBatch" : "runBatchDense";
        if (!tail.isEmpty() || !batchConvs.isEmpty()) {
            t.addField(FieldSpec.builder(int.class, "BATCH", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$L", BATCH).build());
        }
        if (!batchConvs.isEmpty()) {
            addConvBatch(t);
        }
        if (!tail.isEmpty()) {
            int floats = 0;
            for (BatchDense d : tail) {
                floats = Math.max(floats, Math.max(d.inputs(), d.units()));
            }
            addBatch(t, floats, perImage);
            if (tailStart > 0) {
                // the steps before the dense layers, shared by run and runBatch
                MethodSplitter.Split prefixSplit = MethodSplitter.split(run.subList(0, tailStart),
                        new MethodSplitter.Shape("prefix", n -> MethodSpec.methodBuilder(n).addModifiers(Modifier.PRIVATE)
                                .addParameter(float[].class, "input"), "$L(input)", 4, null), "the layers before the dense ones");
                t.addMethod(MethodSpec.methodBuilder("prefix").addModifiers(Modifier.PRIVATE)
                        .addJavadoc("The layers before the last dense ones, on one image.\n")
                        .addParameter(float[].class, "input").addCode(prefixSplit.body(null)).build());
                prefixSplit.chunks().forEach(t::addMethod);
                steps = new ArrayList<>();
                steps.add(step(CodeBlock.builder().addStatement("prefix(input)").build(), 4));
                steps.addAll(run.subList(tailStart, run.size()));
            }
        }
        MethodSplitter.Split runSplit = MethodSplitter.split(steps, new MethodSplitter.Shape("run",
                SimdClass::runMethod, "$L(input, output, probabilities)", 7, null), "the forward pass");
        t.addMethod(runMethod("run").addJavadoc("The forward pass; {@code probabilities == false} skips a final softmax.\n")
                .addCode(runSplit.body(null)).build());
        runSplit.chunks().forEach(t::addMethod);
        methods.forEach(t::addMethod);
        kernels.methods().forEach(t::addMethod);
        return t.addType(packed).build();
    }

    /**
     * The weights packed for the running vector length, shared by every instance built on the same
     * weights array (the instances of {@code load()} all are): packed once, not once per instance.
     */
    private TypeSpec packedType(String simdName) {
        String name = outer.simpleName().equals("Packed") || simdName.equals("Packed") ? "PackedWeights" : "Packed";
        ClassName self = ClassName.get("", name);
        MethodSplitter.Split packSplit = MethodSplitter.split(pack, new MethodSplitter.Shape("pack",
                n -> MethodSpec.methodBuilder(n).addModifiers(Modifier.PRIVATE), "$L()", 4, null),
                "the weight packing");
        TypeSpec.Builder t = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The weights of the vectorized layers in the order their kernels read them, packed once per\n"
                        + "weights array (all instances of {@code load()} share it) for this JVM's vector length.\n")
                .addField(FieldSpec.builder(self, "last", Modifier.PRIVATE, Modifier.STATIC).build())
                .addField(FieldSpec.builder(float[].class, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        packedFields.forEach(t::addField);
        t.addMethod(MethodSpec.methodBuilder("of")
                .addModifiers(Modifier.STATIC, Modifier.SYNCHRONIZED)
                .returns(self)
                .addJavadoc("The packing of {@code weights}: the last one made when it was for this array, else a new one.\n")
                .addParameter(float[].class, "weights")
                .beginControlFlow("if (last == null || last.weights != weights)")
                .addStatement("last = new $T(weights)", self)
                .endControlFlow()
                .addStatement("return last")
                .build());
        t.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "weights")
                .addStatement("this.weights = weights")
                .addCode(packSplit.body(null))
                .build());
        packSplit.chunks().forEach(t::addMethod);
        return t.build();
    }

    private static MethodSpec.Builder runMethod(String name) {
        return MethodSpec.methodBuilder(name)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "probabilities");
    }

    static MethodSplitter.Step step(CodeBlock code, int bytes) {
        return new MethodSplitter.Step(code, bytes, false);
    }

    /**
     * A buffer of at least {@code size} floats: with a {@code name}, a new scratch field of the layer
     * (never shared: padded copies keep their zero borders between calls); without, a value buffer
     * {@code vN}, reusing a free one when there is (the smallest that holds {@code size}, else the largest,
     * grown), as the scalar class's memory plan does.
     */
    String buffer(String name, int size) {
        if (name != null) {
            fields.add(FieldSpec.builder(float[].class, name, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", size).build());
            return name;
        }
        int best = -1;
        for (int v : free) {
            int have = valueBuffers.get(v);
            int bestHave = best < 0 ? 0 : valueBuffers.get(best);
            boolean fits = have >= size;
            boolean bestFits = best >= 0 && bestHave >= size;
            if (best < 0 || (fits && (!bestFits || have < bestHave)) || (!fits && !bestFits && have > bestHave)) {
                best = v;
            }
        }
        if (best < 0) {
            best = valueBuffers.size();
            valueBuffers.add(size);
        } else {
            free.remove(best);
            valueBuffers.set(best, Math.max(size, valueBuffers.get(best)));
        }
        return VALUE_BUFFER + best;
    }

    /**
     * After node {@code i} of the run: frees the value buffers (and CHW copies) of the values whose last
     * reader was node {@code i}, unless a value still live shares them (flatten and dropout alias theirs).
     */
    void release(Map<String, Integer> lastUse, int i) {
        List<String> dead = new ArrayList<>();
        for (String name : values.keySet()) {
            if (lastUse.getOrDefault(name, i) <= i) {
                dead.add(name);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (String name : dead) {
            candidates.add(values.remove(name).buf());
            String copy = chwCopies.remove(name);
            if (copy != null) {
                candidates.add(copy);
            }
        }
        List<String> live = new ArrayList<>(chwCopies.values());
        values.values().forEach(v -> live.add(v.buf()));
        for (String buf : candidates) {
            if (buf.startsWith(VALUE_BUFFER) && !live.contains(buf)) {
                free.add(Integer.parseInt(buf.substring(VALUE_BUFFER.length())));
            }
        }
    }

    /**
     * The array node {@code n}'s result of {@code size} floats goes to: the caller's {@code output} when
     * {@code n} is the model's output and the result is CHW (saving the final copy), else a new buffer.
     */
    String result(Node n, boolean chw, int size) {
        return chw && n.name().equals(graph.outputs().get(0)) ? OUTPUT : buffer(null, size);
    }

    /**
     * Declares the instance's {@code spill}, scratch where the conv and GEMM kernels store a last vector the channels
     * end inside, before copying its lanes inside them, and where the kernels with many accumulators put them before
     * their epilogue loop (24 vectors: see {@link SimdKernels}).
     */
    void spill() {
        if (!spill) {
            spill = true;
            fields.add(FieldSpec.builder(float[].class, "spill", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L * L]", SimdKernels.MAX_VECTORS * SimdKernels.PIXEL_BLOCKS[SimdKernels.MAX_VECTORS - 1][0])
                    .build());
        }
    }

    /**
     * Records dense layer {@code d}, whose steps start at run step {@code firstStep}, as the last of the dense
     * layers ending the run so far.
     */
    void batchDense(int firstStep, BatchDense d) {
        if (tail.isEmpty()) {
            tailStart = firstStep;
        }
        tail.add(d);
    }

    /**
     * Whether the run ends with dense layers that {@code runBatch} runs as one product over a block of images
     * (each weight read once per block instead of once per image): at least {@link #MIN_BATCH_WEIGHTS} weights,
     * only the last may have a softmax, and its result must be the model's output.
     */
    private boolean batchable(String result) {
        if (tail.isEmpty()) {
            return false;
        }
        for (int i = 0; i < tail.size() - 1; i++) {
            if (tail.get(i).softmax() != null) {
                return false;
            }
        }
        long weights = 0;
        for (BatchDense d : tail) {
            weights += (long) d.inputs() * d.units();
        }
        return weights >= MIN_BATCH_WEIGHTS && result.equals(OUTPUT)
                && (tailStart == 0 || !tail.get(0).input().equals("input"));
    }

    /** Whether the vector class {@code simd} has {@code runBatch(inputs, outputs, from, to)}. */
    public static boolean runsBatches(TypeSpec simd) {
        return simd.methodSpecs().stream().anyMatch(m -> m.name().equals("runBatch"));
    }

    /**
     * {@code runBatch}: per block of up to {@link #BATCH} images, the steps before the dense layers for each
     * image (its dense input copied into a row of {@code batchA}), then each dense layer once for the block,
     * then each image's row copied to its output (and its softmax). Each row is computed exactly as
     * {@code run} computes the image (the same kernel, weights, order of sums): the same results, bit for bit.
     */
    private void addBatch(TypeSpec.Builder t, int floats, String name) {
        for (String f : new String[] {"batchA", "batchB"}) {
            t.addField(FieldSpec.builder(float[].class, f, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", BATCH * floats).build());
        }
        BatchDense first = tail.get(0);
        BatchDense last = tail.get(tail.size() - 1);
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int i = from; i < to; i += BATCH)")
                .addStatement("int nb = Math.min(BATCH, to - i)")
                .beginControlFlow("for (int j = 0; j < nb; j++)");
        if (first.input().equals("input")) {
            b.addStatement("System.arraycopy(inputs[i + j], 0, batchA, j * $L, $L)", first.inputs(), first.inputs());
        } else {
            b.addStatement("prefix(inputs[i + j])")
                    .addStatement("System.arraycopy($L, 0, batchA, j * $L, $L)", first.input(), first.inputs(), first.inputs());
        }
        b.endControlFlow().addStatement("batchTail(outputs, i, nb)").endControlFlow();
        CodeBlock.Builder tb = CodeBlock.builder();
        String from = "batchA";
        String to = "batchB";
        for (BatchDense d : tail) {
            tb.addStatement("$LBatch($L, $L, nb)", d.method(), from, to);
            t.addMethod(MethodSpec.methodBuilder(d.method() + "Batch")
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Layer {@code $L} on {@code nb} images at once: image {@code j}'s input is row {@code j} of\n"
                            + "{@code in}, its result row {@code j} of {@code out}.\n", JavaText.comment(d.method()))
                    .addParameter(float[].class, "in").addParameter(float[].class, "out").addParameter(int.class, "nb")
                    .addCode(d.body())
                    .build());
            String swap = from;
            from = to;
            to = swap;
        }
        tb.beginControlFlow("for (int j = 0; j < nb; j++)")
                .addStatement("System.arraycopy($L, j * $L, outputs[i + j], 0, $L)", from, last.units(), last.units());
        if (last.softmax() != null) {
            tb.addStatement("$T.$L(outputs[i + j])", outer, last.softmax());
        }
        tb.endControlFlow();
        t.addMethod(MethodSpec.methodBuilder("batchTail").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The dense layers of images {@code i .. i + nb - 1}, whose inputs are the rows of {@code batchA},\n"
                        + "once for the block, into their outputs (with the softmax).\n")
                .addParameter(float[][].class, "outputs").addParameter(int.class, "i").addParameter(int.class, "nb")
                .addCode(tb.build()).build());
        t.addMethod(MethodSpec.methodBuilder(name)
                .addJavadoc("Images {@code from .. to - 1} of {@code inputs} into {@code outputs}, with probabilities, in blocks of\n"
                        + "{@code BATCH}: each dense layer runs once per block (its weights read once for the block), every\n"
                        + "image's result bit for bit that of {@code run}.\n")
                .addParameters(SimdClass.blockParameters())
                .addCode(b.build())
                .build());
        t.addMethod(MethodSpec.methodBuilder("batchRows")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code rows[nb]}: where each of {@code nb} rows of {@code n} floats starts, for {@code nb <= BATCH}.\n")
                .returns(int[][].class)
                .addParameter(int.class, "n")
                .addStatement("int[][] rows = new int[BATCH + 1][]")
                .beginControlFlow("for (int nb = 0; nb <= BATCH; nb++)")
                .addStatement("rows[nb] = new int[nb]")
                .beginControlFlow("for (int j = 0; j < nb; j++)")
                .addStatement("rows[nb][j] = j * n")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return rows")
                .build());
    }

    /**
     * {@code runBatch} of a class with gathered Winograd layers: {@code convBatch} when every one of them runs
     * Winograd on this JVM, else the dense layers' {@code runBatchDense} (or {@code run} per image).
     */
    private void addConvBatch(TypeSpec.Builder t) {
        boolean dense = !tail.isEmpty();
        BatchDense first = dense ? tail.get(0) : null;
        CodeBlock row = dense ? CodeBlock.builder().addStatement("System.arraycopy($L, 0, batchA, j * $L, $L)",
                first.input(), first.inputs(), first.inputs()).build() : null;
        SimdBatchConv.add(t, batchConvs, run, dense ? tailStart : run.size(), row, dense);
    }

    /** The parameters {@code (inputs, outputs, from, to)} of the methods running a range of a batch's images. */
    static List<ParameterSpec> blockParameters() {
        return List.of(ParameterSpec.builder(float[][].class, "inputs").build(),
                ParameterSpec.builder(float[][].class, "outputs").build(), ParameterSpec.builder(int.class, "from").build(),
                ParameterSpec.builder(int.class, "to").build());
    }

    /** Declares {@code ORIGIN = {0}}, the one pixel of a dense layer seen as a convolution. */
    void origin() {
        if (!origin) {
            origin = true;
            fields.add(FieldSpec.builder(int[].class, "ORIGIN", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{0}").build());
        }
    }

    /**
     * Declares {@code ROW_KERNELS}: whether this JVM runs the kernel-row path of the convolution
     * ({@code convRows}): JDK 25 or later with at least {@link SimdKernels#WIDE_LANES} lanes, where it is measured
     * faster; JDK 17's C2 spills the row kernels' accumulators, and so does JDK 25's with 16 registers (AVX2: the Go
     * net's vector class took 1.38x the offset-table kernels' time under {@code -XX:UseAVX=2}, session 15), so there
     * the offset-table kernels run; the system property {@code striate.rowKernels} overrides the choice (for tests
     * and A/B timing).
     */
    void rowKernels() {
        if (!rowKernels) {
            rowKernels = true;
            fields.add(FieldSpec.builder(boolean.class, "ROW_KERNELS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("True on JDK 25 or later with " + SimdKernels.WIDE_LANES + " lanes or more: the kernel-row convolution\n"
                            + "({@code convRows}) is faster there; JDK 17's C2 spills its accumulators (measured 10-25% slower),\n"
                            + "and so does JDK 25's with the 16 registers of AVX2, so there the offset-table kernels run. The\n"
                            + "system property {@code striate.rowKernels} ({@code true} or {@code false}) overrides the choice.\n")
                    .initializer("$T.getProperty($S) != null ? $T.getBoolean($S) : $T.version().feature() >= 25 && L >= $L",
                            System.class, "striate.rowKernels", Boolean.class, "striate.rowKernels", Runtime.class,
                            SimdKernels.WIDE_LANES).build());
        }
    }

    /** A field of the packed weights ({@code packed.field} in layer code), set by the packing code. */
    void packedField(TypeName type, String field, CodeBlock init) {
        packedFields.add(FieldSpec.builder(type, field, Modifier.PRIVATE).build());
        pack.add(step(CodeBlock.builder().addStatement("$L = $L", field, init).build(), 40));
    }

    /**
     * The array holding value {@code name} (of logical shape {@code shape}) in CHW order,
     * converting an HWC value once (the copy is kept for later readers).
     */
    String need(String name, Shape shape) {
        Val v = values.get(name);
        if (v.layout() == Layout.CHW) {
            return v.buf();
        }
        String copy = chwCopies.get(name);
        if (copy == null) {
            Shape m = v.map();
            copy = buffer(null, shape.size());
            kernels.use("toChw");
            run.add(step(CodeBlock.builder().addStatement("toChw($L, $L, $L, $L, $L)", v.buf(), m.channels(), m.height(),
                    m.width(), copy).build(), 16));
            chwCopies.put(name, copy);
        }
        return copy;
    }

    /** Appends the call of a softmax step: skippable by {@code probabilities} for the output's last per-vector softmax. */
    void softmax(Node n, String method, String target) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (n.name().equals(outputRoot) && n.shape().plane() == 1) {
            b.beginControlFlow("if (probabilities)").addStatement("$T.$L($L)", outer, method, target).endControlFlow();
        } else {
            b.addStatement("$T.$L($L)", outer, method, target);
        }
        run.add(step(b.build(), 12));
    }

    /** A one-line comment for the run method: {@code // conv2d_1: conv2d [1, 28, 28] -> [32, 26, 26] (vector)}. */
    CodeBlock comment(Node n, String how) {
        List<Shape> in = graph.inputShapes(n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < in.size(); i++) {
            sb.append(i > 0 ? " + " : "").append(in.get(i));
        }
        return CodeBlock.of("// $L: $L $L -> $L ($L)\n", JavaText.comment(n.name()), n.op().kind(), sb, n.shape(), how);
    }
}
