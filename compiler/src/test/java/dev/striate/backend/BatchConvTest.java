package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector class's {@code predictBatch} with its Winograd layers gathered across a block's images
 * ({@code convBatch}, {@code backend/layers/SimdBatchConv}): every output bit for bit {@code predict}'s on a
 * fresh instance, for batches of 1, 2, 63, 64 and 65 images (partial last blocks), sequential and on 2 threads,
 * on random weights; the gathered path really ran (its block scratch was made); a layer whose input stays alive
 * after it (a residual) is not gathered; a steady state of the gathered path allocates nothing on the calling thread.
 * Winograd and the gathering are forced on ({@code striate.winograd=true}, the default, and
 * {@code striate.batchConv=true}, off by default) so the tests mean the same whatever the JVM's properties; by
 * default a batch runs image by image (no block scratch).
 */
class BatchConvTest {
    private static final int[] BATCHES = {1, 2, 63, 64, 65};
    private static final float[] NO_MODULE = new float[1];
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "batch-conv-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    private static Conv2d conv(int filters) {
        return new Conv2d(filters, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, true, Activation.RELU);
    }

    private static Pool2d maxpool() {
        return new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true);
    }

    /**
     * A Fashion-CNN-like tail: a direct 8 -> 64 layer, Winograd 64 -> 128 on 14x14 (49 tiles) with its pool, Winograd
     * 128 -> 256 on 7x7 (16 tiles) with its pool, then a dense layer of 23,040 weights (batched too).
     */
    static GraphBuilder denseTail(long seed) {
        GraphBuilder b = new GraphBuilder("Fashionish", seed);
        String x = b.input("image", Shape.chw(8, 14, 14));
        x = b.add("c1", conv(64), x);
        x = b.add("c2", conv(128), x);
        x = b.add("p2", maxpool(), x);
        x = b.add("c3", conv(256), x);
        x = b.add("p3", maxpool(), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("fc", new Dense(10, true, Activation.SOFTMAX), x);
        b.output(x);
        return b;
    }

    /** A Winograd layer on the model's CHW input (transposed in its copy), then a global pool and a small dense. */
    static GraphBuilder convTail(long seed) {
        GraphBuilder b = new GraphBuilder("Gapped", seed);
        String x = b.input("image", Shape.chw(64, 14, 14));
        x = b.add("c1", conv(128), x);
        x = b.add("gap", new GlobalPool(Pool2d.Kind.AVG), x);
        x = b.add("fc", new Dense(3, true, Activation.SOFTMAX), x);
        b.output(x);
        return b;
    }

    /** Two Winograd layers, the first one's result added to the second's: only the first may be gathered. */
    static GraphBuilder residual(long seed) {
        GraphBuilder b = new GraphBuilder("Skip", seed);
        String x = b.input("image", Shape.chw(64, 14, 14));
        String r1 = b.add("r1", conv(128), x);
        String r2 = b.add("r2", conv(128), r1);
        String y = b.add("sum", new Add(), r1, r2);
        y = b.add("gap", new GlobalPool(Pool2d.Kind.MAX), y);
        y = b.add("fc", new Dense(4, true, Activation.IDENTITY), y);
        b.output(y);
        return b;
    }

    /**
     * The Keras MNIST CNN's second layer: Winograd 32 -> 64 on 13x13, valid, its 2x2 pool reading 10x10 of the 11x11
     * outputs, so only those 25 tiles are computed and gathered.
     */
    static GraphBuilder croppedByPool(long seed) {
        GraphBuilder b = new GraphBuilder("Mnistish", seed);
        String x = b.input("image", Shape.chw(32, 13, 13));
        x = b.add("c2", new Conv2d(64, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU), x);
        x = b.add("p2", maxpool(), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("fc", new Dense(10, true, Activation.SOFTMAX), x);
        b.output(x);
        return b;
    }

    static Stream<Named<Supplier<GraphBuilder>>> models() {
        return Stream.of(Named.of("dense tail", () -> denseTail(5)), Named.of("conv tail", () -> convTail(6)),
                Named.of("residual", () -> residual(7)), Named.of("cropped by its pool", () -> croppedByPool(8)));
    }

    private static String source(Graph graph) {
        StringBuilder all = new StringBuilder();
        for (GeneratedFile f : JavaBackend.generate(graph, new GenerateOptions("com.acme", "Batched", false,
                GenerateOptions.Variant.VECTOR))) {
            if (f.relativePath().endsWith(".java")) {
                all.append(new String(f.content(), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /**
     * Loads a new class with Winograd and the gathered batch path forced on (off by default; its flags are read
     * when it initializes).
     */
    private static CompiledModel.Instance load(Graph graph, int inSize) {
        String previous = System.setProperty("striate.winograd", "true");
        String gather = System.setProperty("striate.batchConv", "true");
        try {
            CompiledModel.Instance m = ParallelBatchTest.compile(graph, GenerateOptions.Variant.VECTOR).load();
            m.predict(new float[inSize]);
            return m;
        } finally {
            restore("striate.winograd", previous);
            restore("striate.batchConv", gather);
        }
    }

    static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }

    /**
     * The instance's block scratch {@code wgBV}; without the vector module (the build's scalar-kernel run of the
     * tests) the class runs its scalar twin, which has none: then a non-empty array stands in, after checking
     * that the vector path is indeed absent.
     */
    private static float[] blockScratch(CompiledModel.Instance m) throws ReflectiveOperationException {
        Field simd = m.target().getClass().getDeclaredField("simd");
        simd.setAccessible(true);
        Object s = simd.get(m.target());
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module, s != null, "the vector path is taken exactly when the module is present");
        if (s == null) {
            return NO_MODULE;
        }
        Field v = s.getClass().getDeclaredField("wgBV");
        v.setAccessible(true);
        return (float[]) v.get(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void batchesGivePredictsBitsAndTheGatheredPathRuns(Supplier<GraphBuilder> make) throws Exception {
        GraphBuilder builder = make.get();
        Graph graph = builder.build();
        int inSize = graph.inputs().get(0).shape().size();
        CompiledModel.Instance reference = load(graph, inSize);
        float[][] inputs = new float[65][];
        float[][] expected = new float[65][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = builder.randomInput(inSize);
            expected[i] = reference.predict(inputs[i]);
        }
        assertFalse(Arrays.equals(expected[0], expected[1]), "different inputs give different outputs");
        CompiledModel.Instance batched = load(graph, inSize);
        assertTrue(blockScratch(batched).length == 0 || blockScratch(batched) == NO_MODULE,
                "no block scratch before the first batch");
        for (int n : BATCHES) {
            float[][] in = Arrays.copyOf(inputs, n);
            float[][] out = batched.predictBatch(in);
            for (int i = 0; i < n; i++) {
                assertTrue(Arrays.equals(expected[i], out[i]), "image " + i + " of a batch of " + n);
            }
            float[][] threaded = new float[n][expected[0].length];
            batched.target().getClass().getMethod("predictBatch", float[][].class, float[][].class, Executor.class,
                    int.class).invoke(batched.target(), in, threaded, pool, 2);
            for (int i = 0; i < n; i++) {
                assertTrue(Arrays.equals(expected[i], threaded[i]), "image " + i + " of a batch of " + n + " on 2 threads");
            }
        }
        assertTrue(blockScratch(batched).length > 0, "the gathered path ran");
    }

    @Test
    void imageByImageByDefault() throws Exception {
        GraphBuilder builder = denseTail(11);
        Graph graph = builder.build();
        int inSize = graph.inputs().get(0).shape().size();
        String previous = System.setProperty("striate.winograd", "true");
        CompiledModel.Instance m;
        try {
            m = ParallelBatchTest.compile(graph, GenerateOptions.Variant.VECTOR).load();
        } finally {
            restore("striate.winograd", previous);
        }
        float[][] in = new float[9][];
        for (int i = 0; i < in.length; i++) {
            in[i] = builder.randomInput(inSize);
        }
        float[][] out = m.predictBatch(in);
        for (int i = 0; i < in.length; i++) {
            assertTrue(Arrays.equals(m.predict(in[i]), out[i]), "image " + i);
        }
        float[] scratch = blockScratch(m);
        assertTrue(scratch.length == 0 || scratch == NO_MODULE, "without -Dstriate.batchConv=true nothing is gathered");
    }

    @Test
    void onlyLayersWhoseInputDiesThereAreGathered() {
        String dense = source(denseTail(5).build());
        assertTrue(dense.contains("c2_batchIn(") && dense.contains("c3_batchIn(") && !dense.contains("c1_batchIn("),
                "the two Winograd layers are gathered, the direct one is not:\n" + dense);
        assertTrue(dense.contains("batchTail(outputs, i, nb);"), "the dense layer runs once per block");
        String skip = source(residual(7).build());
        assertTrue(skip.contains("r1_batchIn(") && !skip.contains("r2_batchIn("),
                "r1's result is alive after r2, so r2 is not gathered:\n" + skip);
    }

    @Test
    void aSteadyStateAllocatesNothing() throws Throwable {
        GraphBuilder builder = denseTail(9);
        Graph graph = builder.build();
        int inSize = graph.inputs().get(0).shape().size();
        // the gathered path, on JDK 17 too (SteadyStateAllocationTest checks predict with Winograd on and off)
        CompiledModel.Instance m = load(graph, inSize);
        float[][] in = new float[20][];
        for (int i = 0; i < in.length; i++) {
            in[i] = builder.randomInput(inSize);
        }
        float[][] out = new float[20][10];
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        MethodHandle batch = MethodHandles.publicLookup().findVirtual(m.target().getClass(), "predictBatch",
                MethodType.methodType(void.class, float[][].class, float[][].class)).bindTo(m.target());
        long least = Long.MAX_VALUE;
        // until the batch allocates nothing (C2 has compiled it) or enough rounds
        for (int round = 0; round < 400 && least > 0; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            batch.invokeExact(in, out);
            least = Math.min(least, bean.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, least, "bytes allocated by a steady-state batch of 20 (JDK " + Runtime.version().feature() + ")");
    }
}
