package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated classifier used from 8 threads at once, one instance per thread (each from
 * {@code load()}), gives exactly the results of one instance used sequentially: every output
 * float bit for bit, every class, and the caller's inputs untouched. Each thread visits the inputs
 * in its own seeded order and mixes the three entry points, so instances run different inputs at
 * the same moment; shared mutable state in the generated class (a static buffer, a lazily built
 * table) would show as a differing bit.
 */
class ConcurrentInstancesTest {
    private static final int THREADS = 8;
    private static final int INPUTS = 160;
    private static final int ROUNDS = 2;

    static Stream<Named<LongFunction<GraphBuilder>>> models() {
        return Stream.of(Named.of("mnist cnn", TestModels::mnistCnn), Named.of("tiny resnet", TestModels::tinyResNet));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void eightThreadsGiveTheSequentialResultsBitForBit(LongFunction<GraphBuilder> make) throws Exception {
        GraphBuilder builder = make.apply(7);
        Graph graph = builder.build();
        CompiledModel model = CompiledModel.compile(JavaBackend.generate(graph,
                new GenerateOptions("com.acme", "Shared", false)));
        int inSize = graph.inputs().get(0).shape().size();
        int outSize = graph.node(graph.outputs().get(0)).shape().size();
        float[][] inputs = new float[INPUTS][];
        for (int i = 0; i < INPUTS; i++) {
            inputs[i] = builder.randomInput(inSize);
        }
        float[][] copies = new float[INPUTS][];
        for (int i = 0; i < INPUTS; i++) {
            copies[i] = inputs[i].clone();
        }

        CompiledModel.Instance alone = model.load();
        int[][] expectedBits = new int[INPUTS][];
        int[] expectedClass = new int[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            expectedBits[i] = bits(alone.predict(inputs[i]));
            expectedClass[i] = alone.classify(inputs[i]);
        }
        assertTrue(distinct(expectedBits) > INPUTS / 2, "the inputs give different outputs");

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(THREADS);
            List<Future<int[][]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    CompiledModel.Instance mine = model.load();
                    List<Integer> order = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < INPUTS; i++) {
                            order.add(i);
                        }
                    }
                    Collections.shuffle(order, new Random(thread));
                    int[][] seen = new int[INPUTS][];
                    float[] out = new float[outSize];
                    start.countDown();
                    start.await();
                    int step = 0;
                    for (int i : order) {
                        int[] got;
                        switch (step++ % 3) {
                            case 0 -> got = bits(mine.predict(inputs[i]));
                            case 1 -> {
                                mine.predict(inputs[i], out);
                                got = bits(out);
                            }
                            default -> got = bits(mine.predictBatch(new float[][] {inputs[i]})[0]);
                        }
                        if (seen[i] != null) {
                            assertArrayEquals(seen[i], got, "thread " + thread + ", input " + i + ": not repeatable");
                        }
                        seen[i] = got;
                        if (step % 4 == 0) {
                            assertEquals(expectedClass[i], mine.classify(inputs[i]), "thread " + thread + ", input " + i);
                        }
                    }
                    return seen;
                }));
            }
            for (int t = 0; t < THREADS; t++) {
                int[][] seen = results.get(t).get(5, TimeUnit.MINUTES);
                for (int i = 0; i < INPUTS; i++) {
                    assertArrayEquals(expectedBits[i], seen[i], "thread " + t + ", input " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < INPUTS; i++) {
            assertArrayEquals(copies[i], inputs[i], "input " + i + " was changed");
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    private static long distinct(int[][] rows) {
        return Stream.of(rows).map(java.util.Arrays::toString).distinct().count();
    }
}
