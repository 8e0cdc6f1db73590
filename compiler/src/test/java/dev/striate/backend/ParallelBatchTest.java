package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code predictBatch} of the generated class: into the caller's outputs on one thread, and spread over
 * an executor. Every output of every form must equal {@code predict} on a fresh instance bit for bit,
 * for 2, 3 and 7 threads, batches that do not split evenly and batches smaller than the parallelism,
 * on both variants; bad batches name the index; an exception on any thread reaches the caller and the
 * instance keeps working; a busy executor cannot deadlock the call; and a steady state allocates
 * nothing on the calling thread.
 */
class ParallelBatchTest {
    private static final int[] PARALLELISM = {2, 3, 7};
    private static final int[] BATCHES = {64, 10, 5, 2, 1, 0};
    private static ExecutorService pool;
    private static GraphBuilder mnistBuilder;
    private static CompiledModel mnist;

    @BeforeAll
    static void setUp() {
        mnistBuilder = TestModels.mnistCnn(7);
        mnist = compile(mnistBuilder.build(), GenerateOptions.Variant.SCALAR);
        pool = Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r, "batch-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** A model with one 3x3 convolution and a map output [2, 4, 4]. */
    static GraphBuilder mapOutput(long seed) {
        GraphBuilder b = new GraphBuilder("Edges", seed);
        String x = b.input(Shape.chw(1, 6, 6));
        b.output(b.add("conv", new Conv2d(2, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU), x));
        return b;
    }

    /** A model whose output has the input's size: a 3x3 same-padded convolution [1, 6, 6] to [1, 6, 6]. */
    static GraphBuilder sameSize(long seed) {
        GraphBuilder b = new GraphBuilder("Blur", seed);
        String x = b.input(Shape.chw(1, 6, 6));
        b.output(b.add("conv", new Conv2d(1, 3, 3, 1, 1, Padding.Explicit.of(1), 1, 1, 1, true, Activation.IDENTITY), x));
        return b;
    }

    static Stream<Arguments> models() {
        List<Arguments> all = new ArrayList<>();
        List<Named<Supplier<GraphBuilder>>> models = List.of(
                Named.of("mnist cnn (vector output)", () -> TestModels.mnistCnn(7)),
                Named.of("lenet-5 (tanh dense layers of 120 and 84)", () -> TestModels.leNet5(7)),
                Named.of("tiny resnet (batch norm)", () -> TestModels.tinyResNet(7)),
                Named.of("map output", () -> mapOutput(7)));
        for (Named<Supplier<GraphBuilder>> m : models) {
            all.add(Arguments.of(m, GenerateOptions.Variant.SCALAR));
            all.add(Arguments.of(m, GenerateOptions.Variant.VECTOR));
        }
        return all.stream();
    }

    static CompiledModel compile(Graph graph, GenerateOptions.Variant variant) {
        List<GeneratedFile> files = JavaBackend.generate(graph, new GenerateOptions("com.acme", "Batched", false, variant));
        return variant == GenerateOptions.Variant.VECTOR
                ? CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]))
                : CompiledModel.compile(files);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void everyFormGivesPredictsBitsWhateverTheSplit(Supplier<GraphBuilder> make, GenerateOptions.Variant variant) {
        GraphBuilder builder = make.get();
        Graph graph = builder.build();
        CompiledModel compiled = compile(graph, variant);
        int inSize = compiled.constant("INPUT_SIZE");
        int outSize = compiled.constant("OUTPUT_SIZE");
        float[][] inputs = new float[64][];
        float[][] expected = new float[64][];
        CompiledModel.Instance reference = compiled.load();
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = builder.randomInput(inSize);
            expected[i] = reference.predict(inputs[i]);
        }
        assertTrue(!Arrays.equals(expected[0], expected[1]), "different inputs give different outputs");

        Batch model = new Batch(compiled);
        for (int n : BATCHES) {
            float[][] in = Arrays.copyOf(inputs, n);
            float[][] out = new float[n][outSize];
            model.sequential(in, out);
            assertBits(expected, out, "sequential, batch " + n);
            float[][] allocated = model.allocating(in);
            assertBits(expected, allocated, "allocating, batch " + n);
            for (int p : PARALLELISM) {
                float[][] threaded = garbage(n, outSize);
                model.threaded(in, threaded, pool, p);
                assertBits(expected, threaded, "batch " + n + " on " + p + " threads");
                float[][] common = garbage(n, outSize);
                model.commonPool(in, common, p);
                assertBits(expected, common, "common pool, batch " + n + " on " + p + " threads");
            }
        }
        // a bigger parallelism after a smaller one (helpers added), and the instance's own predict in between
        float[][] out = garbage(64, outSize);
        model.threaded(inputs, out, pool, 2);
        assertArrayEquals(expected[3], model.instance.predict(inputs[3]));
        model.threaded(inputs, out, pool, 7);
        assertBits(expected, out, "after growing from 2 to 7 helpers");
    }

    /**
     * The vector variant runs the last dense layers of a block of images as one product ({@code runBatch},
     * through {@code runBlock}) when they hold enough weights: LeNet-5's three (58,920) do, the tiny ResNet's
     * one of 16 x 10 does not (its batch runs {@code run} per image); the scalar variant never. (That the
     * results are {@code predict}'s bit for bit is the test above.)
     */
    @Test
    void theVectorVariantBatchesItsLastDenseLayers() {
        String lenet = source(TestModels.leNet5(7).build(), GenerateOptions.Variant.VECTOR);
        assertTrue(lenet.contains("void runBatch(float[][] inputs, float[][] outputs, int from, int to)"), lenet);
        assertTrue(lenet.contains("model.runBlock(in, out, from, to);"), "the helpers run blocks:\n" + lenet);
        assertTrue(lenet.contains("f5Batch(batchA, batchB, nb);"), "f5 runs once per block:\n" + lenet);
        String tiny = source(TestModels.tinyResNet(7).build(), GenerateOptions.Variant.VECTOR);
        assertTrue(!tiny.contains("runBatch") && !tiny.contains("runBlock"), tiny);
        String scalar = source(TestModels.leNet5(7).build(), GenerateOptions.Variant.SCALAR);
        assertTrue(!scalar.contains("runBlock"), scalar);
    }

    private static String source(Graph graph, GenerateOptions.Variant variant) {
        List<GeneratedFile> files = JavaBackend.generate(graph, new GenerateOptions("com.acme", "Batched", false, variant));
        StringBuilder all = new StringBuilder();
        for (GeneratedFile f : files) {
            if (f.relativePath().endsWith(".java")) {
                all.append(new String(f.content(), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** The nested classes get other names inside a class named like one of them (Java forbids the clash). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ParallelBatch", "BatchHelper"})
    void aClassNamedLikeANestedClassCompilesAndRuns(String className) {
        GraphBuilder builder = mapOutput(3);
        Graph graph = builder.build();
        CompiledModel compiled = CompiledModel.compile(JavaBackend.generate(graph,
                new GenerateOptions("com.acme", className, false)));
        Batch m = new Batch(compiled);
        float[][] in = {builder.randomInput(36), builder.randomInput(36), builder.randomInput(36)};
        float[][] out = garbage(3, 32);
        m.threaded(in, out, pool, 3);
        assertBits(m.allocating(in), out, className);
        assertTrue(compiled.classFiles().containsKey("com.acme." + className + "$Model" + className),
                compiled.classFiles().keySet().toString());
    }

    @Test
    void badBatchesNameTheIndex() {
        Batch m = new Batch(mnist);
        float[] x = new float[784];
        float[][] in = {x, x, x};
        assertMessage("inputs must not be null", () -> m.sequential(null, new float[0][]));
        assertMessage("outputs must not be null", () -> m.sequential(in, null));
        assertMessage("inputs must not be null", () -> m.allocating(null));
        assertMessage("outputs must have one array per input (3), got 2", () -> m.sequential(in, new float[2][10]));
        assertMessage("inputs[1] must not be null", () -> m.sequential(new float[][] {x, null}, new float[2][10]));
        assertMessage("inputs[2] must have 784 floats, got 783",
                () -> m.threaded(new float[][] {x, x, new float[783]}, new float[3][10], pool, 2));
        assertMessage("outputs[1] must have 10 floats, got 11",
                () -> m.sequential(in, new float[][] {new float[10], new float[11], new float[10]}));
        assertMessage("outputs[2] must not be null",
                () -> m.commonPool(in, new float[][] {new float[10], new float[10], null}, 2));
        Batch same = new Batch(compile(sameSize(7).build(), GenerateOptions.Variant.SCALAR));
        float[] both = new float[36];
        assertMessage("inputs[1] and outputs[1] must be different arrays",
                () -> same.sequential(new float[][] {new float[36], both}, new float[][] {new float[36], both}));
        assertMessage("executor must not be null", () -> m.threaded(in, new float[3][10], null, 2));
        assertMessage("parallelism must be at least 1, got 0", () -> m.threaded(in, new float[3][10], pool, 0));
    }

    private static void assertMessage(String message, Runnable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }

    /**
     * The test's executor removes an input after the checks, so that image fails: on a helper on the
     * executor's thread (the executor joins that thread before returning, so the helper takes every
     * image), on a helper run by a direct executor on the calling thread, and in the caller's own share
     * (an executor that never runs the helper). The executor's own exception reaches the caller too.
     */
    @Test
    void anExceptionOnAnyThreadReachesTheCallerAndTheInstanceKeepsWorking() {
        Batch m = new Batch(mnist);
        float[][] inputs = mnistInputs(12);
        float[][] expected = m.allocating(inputs);
        String[] threads = new String[1];
        Executor otherThread = task -> {
            float[] kept = inputs[9];
            inputs[9] = null;
            Thread t = new Thread(() -> {
                threads[0] = Thread.currentThread().getName();
                task.run();
            }, "failing-helper");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            inputs[9] = kept;
        };
        float[][] out = new float[12][10];
        assertThrows(NullPointerException.class, () -> m.threaded(inputs, out, otherThread, 2));
        assertEquals("failing-helper", threads[0], "the image failed on the helper's thread");
        m.threaded(inputs, out, pool, 3);
        assertBits(expected, out, "after a failure, the next call");

        Executor direct = task -> {
            float[] kept = inputs[4];
            inputs[4] = null;
            try {
                task.run();
            } finally {
                inputs[4] = kept;
            }
        };
        // a fresh instance each time: a helper of the last call may still wait in the pool's queue, and
        // a helper still queued is not given to an executor again
        Batch m2 = new Batch(mnist);
        assertThrows(NullPointerException.class, () -> m2.threaded(inputs, out, direct, 2));
        m2.threaded(inputs, out, pool, 2);
        assertBits(expected, out, "after a failure on the calling thread, the next call");

        List<Runnable> parked = new ArrayList<>();
        Executor never = task -> {
            parked.add(task);
            inputs[7] = null;
        };
        float[] kept = inputs[7];
        Batch m3 = new Batch(mnist);
        try {
            assertThrows(NullPointerException.class, () -> m3.threaded(inputs, out, never, 2),
                    "the caller's own image fails");
        } finally {
            inputs[7] = kept;
        }
        parked.forEach(Runnable::run);
        m3.threaded(inputs, out, pool, 2);
        assertBits(expected, out, "after a failure in the caller's share, the next call");

        Batch m4 = new Batch(mnist);
        RuntimeException boom = new IllegalStateException("boom");
        Executor throwsInTask = task -> {
            throw boom;
        };
        assertSame(boom, assertThrows(IllegalStateException.class, () -> m4.threaded(inputs, out, throwsInTask, 2)),
                "the executor's own exception");
        assertThrows(RejectedExecutionException.class, () -> m4.threaded(inputs, out, rejecting(), 2));
        m4.threaded(inputs, out, pool, 2);
        assertBits(expected, out, "after a rejection, the next call");
        float[][] sequential = new float[12][10];
        m4.sequential(inputs, sequential);
        assertBits(expected, sequential, "the sequential call after failures");
    }

    private static Executor rejecting() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        return dead;
    }

    /**
     * Helpers the executor never starts (a queue nobody runs, or the single thread of the pool the
     * caller itself runs on) do not block the call: the caller does their share; when they run later
     * they leave without touching anything, and the next call uses them again.
     */
    @Test
    void aBusyExecutorCannotDeadlockTheCall() throws Exception {
        Batch m = new Batch(mnist);
        float[][] inputs = mnistInputs(20);
        float[][] expected = m.allocating(inputs);
        List<Runnable> parked = new ArrayList<>();
        float[][] out = garbage(20, 10);
        m.threaded(inputs, out, parked::add, 4);
        assertEquals(3, parked.size());
        assertBits(expected, out, "the caller did the parked helpers' share");
        out = garbage(20, 10);
        m.threaded(inputs, out, parked::add, 4);
        assertEquals(3, parked.size(), "a helper still queued is not given to the executor again");
        assertBits(expected, out, "second call with parked helpers");
        float[][] snapshot = new float[20][];
        for (int i = 0; i < 20; i++) {
            snapshot[i] = out[i].clone();
        }
        parked.forEach(Runnable::run);
        assertBits(snapshot, out, "late helpers write nothing");
        out = garbage(20, 10);
        m.threaded(inputs, out, parked::add, 4);
        assertEquals(6, parked.size(), "helpers that left are given to the executor again");
        assertBits(expected, out, "third call");

        parked.forEach(Runnable::run);   // the helpers leave the parked queue, so the next call gives one to single
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            float[][] nested = garbage(20, 10);
            List<Runnable> given = new ArrayList<>();
            Executor counting = task -> {
                given.add(task);
                single.execute(task);
            };
            Future<?> f = single.submit(() -> m.threaded(inputs, nested, counting, 2));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> f.get());
            assertEquals(1, given.size(), "a helper was queued behind the caller on the pool's only thread");
            assertBits(expected, nested, "called from the executor's only thread");
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void aSteadyStateAllocatesNothingOnTheCallingThread() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        CompiledModel compiled = mnist;
        Object target = compiled.load().target();
        MethodHandle sequential;
        MethodHandle threaded;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            sequential = lookup.findVirtual(compiled.type(), "predictBatch", MethodType.methodType(
                    void.class, float[][].class, float[][].class)).bindTo(target);
            threaded = lookup.findVirtual(compiled.type(), "predictBatch", MethodType.methodType(
                    void.class, float[][].class, float[][].class, Executor.class, int.class)).bindTo(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        float[][] in = mnistInputs(16);
        float[][] out = new float[16][10];
        Executor direct = Runnable::run;
        // a pool whose execute allocates nothing once its threads are started (an array queue)
        ThreadPoolExecutor arrayPool = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(16));
        arrayPool.prestartAllCoreThreads();
        try {
            for (int round = 0; round < 200; round++) {
                invoke(sequential, in, out, null, 0);
                invoke(threaded, in, out, direct, 3);
                invoke(threaded, in, out, arrayPool, 3);
            }
            long empty = allocated(threads, () -> { });
            long seq = allocated(threads, () -> invoke(sequential, in, out, null, 0));
            long helpersHere = allocated(threads, () -> invoke(threaded, in, out, direct, 3));
            long pooled = allocated(threads, () -> invoke(threaded, in, out, arrayPool, 3));
            assertEquals(empty, seq, "sequential predictBatch allocates");
            assertEquals(empty, helpersHere, "threaded predictBatch with the helpers on this thread allocates");
            assertEquals(empty, pooled, "threaded predictBatch on an allocation-free pool allocates on the caller");
        } finally {
            arrayPool.shutdownNow();
        }
    }

    /** Bytes the calling thread allocates over 20 calls of {@code call} (the smallest of 5 tries). */
    private static long allocated(ThreadMXBean threads, Runnable call) {
        long best = Long.MAX_VALUE;
        long id = Thread.currentThread().getId();
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20; i++) {
                call.run();
            }
            best = Math.min(best, threads.getThreadAllocatedBytes(id) - before);
        }
        return best;
    }

    private static void invoke(MethodHandle h, float[][] in, float[][] out, Executor e, int p) {
        try {
            if (e == null) {
                h.invokeExact(in, out);
            } else {
                h.invokeExact(in, out, e, p);
            }
        } catch (RuntimeException | Error t) {
            throw t;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static float[][] mnistInputs(int n) {
        float[][] inputs = new float[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = mnistBuilder.randomInput(784);
        }
        return inputs;
    }

    private static float[][] garbage(int n, int size) {
        float[][] out = new float[n][size];
        for (float[] o : out) {
            Arrays.fill(o, Float.NaN);
        }
        return out;
    }

    private static void assertBits(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < actual.length; i++) {
            for (int k = 0; k < actual[i].length; k++) {
                if (Float.floatToRawIntBits(expected[i][k]) != Float.floatToRawIntBits(actual[i][k])) {
                    throw new AssertionError(what + ": image " + i + " output " + k + " is " + actual[i][k]
                            + ", predict gives " + expected[i][k]);
                }
            }
        }
    }

    /** The batch methods of one loaded instance, by reflection. */
    private static final class Batch {
        final CompiledModel compiled;
        final CompiledModel.Instance instance;

        Batch(CompiledModel compiled) {
            this.compiled = compiled;
            this.instance = compiled.load();
        }

        float[][] allocating(float[][] in) {
            return instance.predictBatch(in);
        }

        void sequential(float[][] in, float[][] out) {
            compiled.invoke(instance.target(), "predictBatch", new Class<?>[] {float[][].class, float[][].class}, in,
                    out);
        }

        void threaded(float[][] in, float[][] out, Executor executor, int parallelism) {
            compiled.invoke(instance.target(), "predictBatch",
                    new Class<?>[] {float[][].class, float[][].class, Executor.class, int.class}, in, out, executor,
                    parallelism);
        }

        void commonPool(float[][] in, float[][] out, int parallelism) {
            compiled.invoke(instance.target(), "predictBatch",
                    new Class<?>[] {float[][].class, float[][].class, int.class}, in, out, parallelism);
        }
    }
}
