import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;

/**
 * Per-layer times of generated vector classes (issue 16), alternating in one JVM: each round times every layer
 * method of the nested {@code Simd} class, then the whole {@code predict}, for about {@code roundMs} each, for every
 * class in an order that rotates every round; prints the medians (p10-p90) and, with two or more classes, the
 * median of the per-round ratios to the first class; then the bytes each call allocates. The layers are given as
 * {@code method:in:out}, where {@code in} and {@code out} name {@code float[]} fields of {@code Simd} ({@code v0},
 * {@code v1}, ...) or {@code input}/{@code output}, in the order of {@code Simd.prefix}/{@code run} in the
 * generated source. A layer reads whatever its input buffer holds (timing does not depend on the values).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp classes [-Drounds=15] [-DroundMs=150] tools/bench/LayerProfile.java \
 *     Old_fashion_cnn,New_fashion_cnn conv2d_1:input:v0 conv2d_2:v0:v1 conv2d_3:v1:v0 maxpool_2:v0:v1 \
 *     conv2d_4:v1:v0 conv2d_5:v0:v1 maxpool_3:v1:v0 dense_1:v0:v1 dense_2:v1:v0 dense_3:v0:output
 * </pre>
 */
public final class LayerProfile {
    private LayerProfile() {
    }

    public static void main(String[] a) throws Exception {
        String[] cls = a[0].split(",");
        int nc = cls.length, n = a.length - 1;
        Object[] simd = new Object[nc], model = new Object[nc];
        Method[][] m = new Method[nc][n + 1];
        float[][][] in = new float[nc][n][], out = new float[nc][n][];
        String[] names = new String[n + 1];
        names[n] = "predict";
        float[][] input = new float[nc][], output = new float[nc][];
        for (int c = 0; c < nc; c++) {
            Class<?> k = Class.forName(cls[c]);
            model[c] = k.getMethod("load").invoke(null);
            Field sf = k.getDeclaredField("simd"); sf.setAccessible(true);
            simd[c] = sf.get(model[c]);
            Class<?> sc = simd[c].getClass();
            input[c] = new float[k.getField("INPUT_SIZE").getInt(null)];
            Random r = new Random(1); for (int i = 0; i < input[c].length; i++) input[c][i] = r.nextFloat();
            output[c] = new float[k.getField("OUTPUT_SIZE").getInt(null)];
            m[c][n] = k.getMethod("predict", float[].class, float[].class);
            for (int i = 0; i < n; i++) {
                String[] p = a[i + 1].split(":"); names[i] = p[0];
                m[c][i] = sc.getDeclaredMethod(p[0], float[].class, float[].class); m[c][i].setAccessible(true);
                in[c][i] = arr(sc, simd[c], p[1], input[c], output[c]); out[c][i] = arr(sc, simd[c], p[2], input[c], output[c]);
            }
        }
        int rounds = Integer.getInteger("rounds", 15); long roundNs = Long.getLong("roundMs", 150L) * 1_000_000L;
        for (int c = 0; c < nc; c++) for (int w = 0; w < 500; w++) m[c][n].invoke(model[c], input[c], output[c]);
        double[][][] t = new double[n + 1][nc][rounds];
        for (int rd = -3; rd < rounds; rd++) {
            for (int i = 0; i <= n; i++) {
                for (int cc = 0; cc < nc; cc++) {
                    int c = (cc + Math.max(rd, 0)) % nc;
                    int reps = 0; long t0 = System.nanoTime(), t1;
                    do {
                        for (int j = 0; j < 10; j++) {
                            if (i == n) m[c][n].invoke(model[c], input[c], output[c]); else m[c][i].invoke(simd[c], in[c][i], out[c][i]);
                        }
                        reps += 10; t1 = System.nanoTime();
                    } while (t1 - t0 < roundNs);
                    if (rd >= 0) t[i][c][rd] = (t1 - t0) / 1e3 / reps;
                }
            }
        }
        System.out.print(String.format("%-12s", "layer"));
        for (int c = 0; c < nc; c++) System.out.print(String.format(" %22s", cls[c]));
        System.out.println(nc > 1 ? "   ratios to first (median per round)" : "");
        for (int i = 0; i <= n; i++) {
            System.out.print(String.format("%-12s", names[i]));
            for (int c = 0; c < nc; c++) {
                double[] s = t[i][c].clone(); Arrays.sort(s);
                System.out.print(String.format(" %9.1f [%5.0f-%5.0f]", s[rounds / 2], s[rounds / 10], s[rounds * 9 / 10]));
            }
            for (int c = 1; c < nc; c++) {
                double[] q = new double[rounds];
                for (int rd = 0; rd < rounds; rd++) q[rd] = t[i][c][rd] / t[i][0][rd];
                Arrays.sort(q);
                System.out.print(String.format("  %.3f", q[rounds / 2]));
            }
            System.out.println();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i <= n; i++) {
            StringBuilder sb = new StringBuilder(String.format("alloc %-12s", names[i]));
            for (int c = 0; c < nc; c++) {
                long b0 = mx.getCurrentThreadAllocatedBytes();
                for (int j = 0; j < 200; j++) {
                    if (i == n) m[c][n].invoke(model[c], input[c], output[c]); else m[c][i].invoke(simd[c], in[c][i], out[c][i]);
                }
                sb.append(String.format(" %10.0f B/call", (mx.getCurrentThreadAllocatedBytes() - b0) / 200.0));
            }
            System.out.println(sb);
        }
        System.out.println("load " + new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
    }
    static float[] arr(Class<?> sc, Object simd, String f, float[] input, float[] output) throws Exception {
        if (f.equals("input")) return input; if (f.equals("output")) return output;
        Field x = sc.getDeclaredField(f); x.setAccessible(true); return (float[]) x.get(simd);
    }
}
