package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.MethodSplitter;
import dev.striate.backend.layers.SimdRunBatch.BatchDense;
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
 * runs how is decided per node by {@link VectorEmitters}. The class is written out by {@link SimdTypeWriter}, its
 * {@code runBatch} by {@link SimdRunBatch}.
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

    /** The run method's parameter receiving the model's output. */
    static final String OUTPUT = "output";
    /** The prefix of the value buffers' fields. */
    static final String VALUE_BUFFER = "v";

    final Graph graph;
    final ClassName outer;
    final SimdKernels kernels = new SimdKernels();
    final List<FieldSpec> fields = new ArrayList<>();
    final List<MethodSplitter.Step> pack = new ArrayList<>();
    final List<FieldSpec> packedFields = new ArrayList<>();
    final List<MethodSplitter.Step> run = new ArrayList<>();
    final List<MethodSpec> methods = new ArrayList<>();
    final Map<String, Val> values = new HashMap<>();
    private final Map<String, String> chwCopies = new HashMap<>();
    private final String outputRoot;
    /** Sizes of the value buffers {@code v0, v1, ...}, each the largest value it holds. */
    final List<Integer> valueBuffers = new ArrayList<>();
    /** The value buffers free for reuse at the current point of the run. */
    private final TreeSet<Integer> free = new TreeSet<>();
    private boolean origin;
    private boolean rowKernels;
    private boolean spill;
    /** The dense layers ending the run so far (cleared by any other computing node). */
    final List<BatchDense> tail = new ArrayList<>();
    /** The run step where {@link #tail} starts. */
    int tailStart;
    /**
     * While a node is emitted: whether its first input is the only value alive and dies at this node, so that a
     * Winograd layer may be gathered across a block's images ({@link SimdBatchConv}).
     */
    boolean alone;
    /** The gathered layer the node being emitted registered, completed with its buffers once it is emitted. */
    SimdBatchConv.Layer pendingBatchConv;
    /** The Winograd layers {@code runBatch} gathers across a block's images, in run order. */
    final List<SimdBatchConv.Layer> batchConvs = new ArrayList<>();

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
        if (!SimdRunBatch.batchable(c, result)) {
            c.tail.clear();
        }
        return SimdTypeWriter.type(c, hasRows);
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
     * their epilogue loop (24 vectors: see {@link SimdMicroKernels}).
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

    /** Whether the vector class {@code simd} has {@code runBatch(inputs, outputs, from, to)}. */
    public static boolean runsBatches(TypeSpec simd) {
        return simd.methodSpecs().stream().anyMatch(m -> m.name().equals("runBatch"));
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
