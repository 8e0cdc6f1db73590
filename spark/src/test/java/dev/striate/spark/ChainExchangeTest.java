package dev.striate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The direct exchange without Spark: four "tasks" on loopback threads, an all-gather of their
 * ports through a {@link CyclicBarrier}, a stranger connecting first to every task's port with a
 * wrong token. Every task must end each step with the sum {@code ((g0 + g1) + g2) + g3} of the
 * tasks that had a slice, in task order, bit for bit, and every task's loss and count.
 */
class ChainExchangeTest {
    private static final int TASKS = 4;
    private static final int SIZE = 40_000;          // two full chunks and a partial one
    private static final boolean[][] PRESENT = {
        {true, true, true, true}, {false, true, true, true}, {true, true, false, false},
        {true, false, true, false}, {false, false, false, true}};

    @Test
    void everyTaskGetsTheSumInTaskOrderBitForBit() throws Exception {
        Random random = new Random(7);
        float[][][] g = new float[PRESENT.length][TASKS][SIZE];
        for (float[][] step : g) {
            for (float[] v : step) {
                for (int i = 0; i < SIZE; i++) {
                    v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
                }
            }
        }
        String[] ports = new String[TASKS];
        CyclicBarrier gathered = new CyclicBarrier(TASKS, () -> strangers(ports));
        byte[] token = new byte[16];
        random.nextBytes(token);
        String[] hosts = new String[TASKS];
        Arrays.fill(hosts, "127.0.0.1");
        ExecutorService pool = Executors.newFixedThreadPool(TASKS);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int t = 0; t < TASKS; t++) {
                int task = t;
                results.add(pool.submit(() -> {
                    float[][] sums = new float[PRESENT.length][SIZE];
                    try (ChainExchange chain = ChainExchange.connect(task, TASKS, hosts, port -> {
                        ports[task] = port;
                        await(gathered);
                        return ports.clone();
                    }, token)) {
                        for (int s = 0; s < PRESENT.length; s++) {
                            ChainExchange.Totals totals = new ChainExchange.Totals(TASKS);
                            totals.present[task] = PRESENT[s][task];
                            totals.loss[task] = s + task / 10.0;
                            totals.correct[task] = 10 * s + task;
                            chain.allReduce(PRESENT[s][task] ? g[s][task] : new float[SIZE], sums[s], totals);
                            for (int u = 0; u < TASKS; u++) {
                                assertEquals(PRESENT[s][u], totals.present[u]);
                                if (PRESENT[s][u]) {
                                    assertEquals(s + u / 10.0, totals.loss[u]);
                                    assertEquals(10 * s + u, totals.correct[u]);
                                }
                            }
                        }
                    }
                    return sums;
                }));
            }
            for (int s = 0; s < PRESENT.length; s++) {
                float[] expected = null;
                float[] reversed = null;
                for (int u = 0; u < TASKS; u++) {
                    if (PRESENT[s][u]) {
                        expected = add(expected, g[s][u]);
                    }
                    if (PRESENT[s][TASKS - 1 - u]) {
                        reversed = add(reversed, g[s][TASKS - 1 - u]);
                    }
                }
                for (Future<float[][]> r : results) {
                    assertArrayEquals(expected, r.get()[s], 0f, "step " + s);
                }
                if (s == 0) {
                    assertFalse(Arrays.equals(expected, reversed), "the order of the sum shows in the bits");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHostIsTakenFromSparksHostAndPort() {
        assertEquals("127.0.0.1", ChainExchange.host("127.0.0.1:44231"));
        assertEquals("node-7.example", ChainExchange.host("node-7.example:7078"));
        assertEquals("node-7.example", ChainExchange.host("node-7.example"));
        assertEquals("::1", ChainExchange.host("[::1]:7078"));
        assertEquals("fe80::1", ChainExchange.host("fe80::1"));
    }

    private static float[] add(float[] acc, float[] v) {
        if (acc == null) {
            return v.clone();
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += v[i];
        }
        return acc;
    }

    /** Connects to every listening task with a wrong token before the neighbours do. */
    private static void strangers(String[] ports) {
        for (String p : ports) {
            if (!p.equals("0")) {
                try (Socket s = new Socket("127.0.0.1", Integer.parseInt(p))) {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[20]);
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
