import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The three training passes of one Winograd layer ({@code dev.striate.train.Winograd}: forward, input
 * gradient, weight gradient) from two builds of the runtime in one JVM, alternating (a benchmark, not a
 * test): each jar gets its own class loader, the same seeded inputs, and {@code rounds} rounds of 8 calls
 * per pass, timed in thread CPU time. Prints each build's median per pass and the median (p10-p90) of the
 * per-round ratio new / old, and whether the two builds gave the same bits.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector tools/bench/WinogradLayerAB.java OLD.jar NEW.jar \
 *     256 256 7 16 [rounds]     # channels in, out, map size (square, padding 1), samples
 * </pre>
 */
public final class WinogradLayerAB {
    private static final com.sun.management.ThreadMXBean CPU =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String[] PASSES = {"forward", "input gradient", "weight gradient"};

    public static void main(String[] args) throws Exception {
        int c = Integer.parseInt(args[2]);
        int f = Integer.parseInt(args[3]);
        int h = Integer.parseInt(args[4]);
        int n = Integer.parseInt(args[5]);
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 15;
        Layer[] builds = {new Layer(Path.of(args[0]), c, f, h, n), new Layer(Path.of(args[1]), c, f, h, n)};
        double[][][] ms = new double[2][3][rounds];
        for (int round = -3; round < rounds; round++) {
            for (int b = 0; b < 2; b++) {
                double[] t = builds[b].round(8);
                for (int p = 0; p < 3 && round >= 0; p++) {
                    ms[b][p][round] = t[p];
                }
            }
        }
        System.out.printf("%d -> %d channels, %dx%d map, %d samples, %d rounds, load %s%n", c, f, h, h, n, rounds,
                new String(java.nio.file.Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        for (int p = 0; p < 3; p++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = ms[1][p][r] / ms[0][p][r];
            }
            System.out.printf("  %-16s old %.2f ms  new %.2f ms  new/old %.3f (p10 %.3f, p90 %.3f)%n", PASSES[p],
                    median(ms[0][p]), median(ms[1][p]), median(ratio), quantile(ratio, 0.1), quantile(ratio, 0.9));
        }
        System.out.println("  same bits: " + builds[0].same(builds[1]));
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }

    /** One build's Winograd on its own class loader, with its own copies of the inputs. */
    private static final class Layer {
        private final Method forward;
        private final Method inputGradient;
        private final Method weightGradient;
        private final Object gemm;
        private final int c, f, h, n;
        private final float[] x, wt, bias, y, dz, gx, dw;

        Layer(Path jar, int c, int f, int h, int n) throws Exception {
            ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> winograd = loader.loadClass("dev.striate.train.Winograd");
            Class<?> gemmType = loader.loadClass("dev.striate.train.Gemm");
            Class<?>[] ints = new Class<?>[9];
            Arrays.fill(ints, int.class);
            this.forward = winograd.getMethod("forward", parameters(gemmType, 4, ints));
            this.inputGradient = winograd.getMethod("inputGradient", parameters(gemmType, 3, ints));
            this.weightGradient = winograd.getMethod("weightGradient", parameters(gemmType, 3, ints));
            this.gemm = gemmType.getConstructor().newInstance();
            this.c = c;
            this.f = f;
            this.h = h;
            this.n = n;
            Random r = new Random(1);
            x = random(r, n * c * h * h);
            wt = random(r, f * c * 9);
            bias = random(r, f);
            dz = random(r, n * f * h * h);
            y = new float[n * f * h * h];
            gx = new float[n * c * h * h];
            dw = new float[f * c * 9];
        }

        /** {@code (Gemm, float[] x arrays, int x 9)}. */
        private static Class<?>[] parameters(Class<?> gemmType, int arrays, Class<?>[] ints) {
            Class<?>[] p = new Class<?>[1 + arrays + ints.length];
            p[0] = gemmType;
            Arrays.fill(p, 1, 1 + arrays, float[].class);
            System.arraycopy(ints, 0, p, 1 + arrays, ints.length);
            return p;
        }

        private static float[] random(Random r, int size) {
            float[] a = new float[size];
            for (int i = 0; i < size; i++) {
                a[i] = r.nextFloat() - 0.5f;
            }
            return a;
        }

        /** Milliseconds per call of each pass, over {@code calls} calls. */
        double[] round(int calls) throws Exception {
            double[] t = new double[3];
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                forward.invoke(null, gemm, wt, bias, x, y, n, c, h, h, f, h, h, 1, 1);
            }
            long t1 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                Arrays.fill(gx, 0f);
                inputGradient.invoke(null, gemm, wt, dz, gx, n, c, h, h, f, h, h, 1, 1);
            }
            long t2 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                Arrays.fill(dw, 0f);
                weightGradient.invoke(null, gemm, x, dz, dw, n, c, h, h, f, h, h, 1, 1);
            }
            long t3 = CPU.getCurrentThreadCpuTime();
            t[0] = (t1 - t0) / 1e6 / calls;
            t[1] = (t2 - t1) / 1e6 / calls;
            t[2] = (t3 - t2) / 1e6 / calls;
            return t;
        }

        boolean same(Layer o) {
            return Arrays.equals(y, o.y) && Arrays.equals(gx, o.gx) && Arrays.equals(dw, o.dw);
        }
    }
}
