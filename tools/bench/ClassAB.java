import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times two or more generated classes of the same model against each other in one JVM, alternating,
 * for A/B comparisons of kernel changes on a machine that is not quiet (issue 16): each round times
 * every class for about {@code roundMs} of its thread's CPU time in back-to-back {@code predict(input, output)} calls, in an
 * order that rotates every round; the figure per class is the median over the rounds of its mean
 * call time, and each class is reported as a ratio to the first one (the baseline). The classes must
 * be on the class path (compile the generated sources first, e.g. one as {@code Old_go_net}, one as
 * {@code New_go_net} with {@code striate compile --vector -c ...}). Also checks that all classes give
 * the same outputs within {@code 1e-3} relative to the largest output, and prints GFLOP/s when given
 * the model's FLOPs per prediction ({@code -Dflops=}), and the bytes each class allocates per call after
 * the warm-up (a vector kernel that boxes its vectors on JDK 17 shows here). The input is random floats in
 * {@code [0, 1)}, or with {@code -Dinput=file} the first image of a raw little-endian float32 file (e.g. the
 * benchmark's {@code ~/.cache/striate/bench/<model>/input.bin}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp classes [-Dflops=2.8e9] [-Drounds=30] [-DroundMs=200] [-DwarmCalls=500]
 *     [-Dinput=input.bin]
 *     tools/bench/ClassAB.java Old_go_net New_go_net
 * </pre>
 */
public final class ClassAB {
    private ClassAB() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 30);
        long roundNs = Long.getLong("roundMs", 200L) * 1_000_000L;
        double flops = Double.parseDouble(System.getProperty("flops", "0"));
        int n = args.length;
        Object[] models = new Object[n];
        Method[] predict = new Method[n];
        float[][] outs = new float[n][];
        float[] input = null;
        for (int i = 0; i < n; i++) {
            Class<?> k = Class.forName(args[i]);
            models[i] = k.getMethod("load").invoke(null);
            predict[i] = k.getMethod("predict", float[].class, float[].class);
            outs[i] = new float[k.getField("OUTPUT_SIZE").getInt(null)];
            if (input == null) {
                input = new float[k.getField("INPUT_SIZE").getInt(null)];
                String file = System.getProperty("input");
                if (file != null) {
                    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().get(input);
                } else {
                    Random r = new Random(42);
                    for (int j = 0; j < input.length; j++) {
                        input[j] = r.nextFloat();
                    }
                }
            }
        }
        int warmCalls = Integer.getInteger("warmCalls", 500);
        for (int i = 0; i < n; i++) {
            time(models[i], predict[i], input, outs[i], 2_000_000_000L);     // warm-up: C2
            // and at least warmCalls calls: a model of 18 ms (the Go net) is still being compiled after 2 s (its
            // interpreted and C1 frames allocate vectors: 55 KB a call after 100 calls, nothing after 400)
            for (int c = 0; c < warmCalls; c++) {
                predict[i].invoke(models[i], input, outs[i]);
            }
        }
        float scale = 0;
        for (float v : outs[0]) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < outs[0].length; j++) {
                if (Math.abs(outs[i][j] - outs[0][j]) > 1e-3f * Math.max(scale, 1e-6f)) {
                    throw new AssertionError(args[i] + " output " + j + " = " + outs[i][j] + ", " + args[0]
                            + " gives " + outs[0][j]);
                }
            }
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n; i++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int c = 0; c < 10; c++) {
                predict[i].invoke(models[i], input, outs[i]);
            }
            System.out.printf("%-20s allocates %d bytes per call (steady state, including reflection)%n", args[i],
                    (mx.getCurrentThreadAllocatedBytes() - before) / 10);
        }
        List<double[]> perRound = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] t = new double[n];
            for (int s = 0; s < n; s++) {
                int i = (r + s) % n;
                t[i] = time(models[i], predict[i], input, outs[i], roundNs);
            }
            perRound.add(t);
        }
        double base = median(perRound, 0);
        for (int k = 0; k < n; k++) {
            int i = k;
            double med = median(perRound, i);
            double[] ratios = perRound.stream().mapToDouble(t -> t[i] / t[0]).sorted().toArray();
            System.out.printf("%-20s median %10.1f us  ratio %.3f (per-round ratio p10 %.3f p50 %.3f p90 %.3f)%s%n",
                    args[i], med / 1e3, med / base, ratios[ratios.length / 10], ratios[ratios.length / 2],
                    ratios[ratios.length * 9 / 10], flops > 0 ? String.format("  %.1f GFLOP/s", flops / med) : "");
        }
    }

    private static double median(List<double[]> rounds, int i) {
        double[] v = rounds.stream().mapToDouble(t -> t[i]).sorted().toArray();
        return v[v.length / 2];
    }

    /**
     * Mean nanoseconds of this thread's CPU time per call over at least {@code ns} of it (CPU time, not
     * wall time: on a shared machine the time the thread waits for a core is left out).
     */
    private static double time(Object model, Method predict, float[] in, float[] out, long ns) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        long calls = 0;
        long now;
        do {
            for (int i = 0; i < 4; i++) {
                predict.invoke(model, in, out);
            }
            calls += 4;
            now = mx.getCurrentThreadCpuTime();
        } while (now - start < ns);
        return (double) (now - start) / calls;
    }
}
