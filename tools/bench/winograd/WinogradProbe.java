import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prototype for issue 16 (vector variant): Winograd F(2x2,3x3), F(3x3,3x3) and F(4x4,3x3) against the direct kernel-row
 * convolution of the generated vector classes, on the 3x3 / pad 1 / stride 1 layer shapes of the Go net
 * (19x19, 192 -> 192) and the Fashion CNN (14x14, 64 -> 128 and 128 -> 128; 7x7, 128 -> 256 and 256 -> 256).
 *
 * <p>(a) direct: {@code convRows} of {@code SimdKernels} reproduced (HWC, pre-padded input, weights packed per
 * output vector as {@code [step][lane]}, 4 output vectors x 6/3/1 pixels, one kernel row at a time, partial sums
 * stored in {@code y}); (b) Winograd F(m x m, 3x3), m = 2, 3 (points 0, 1, -1, 1/2), 4 (Lavin's points 0, +-1, +-2,
 * and "b": 0, 1, -1, 1/2, -2): the input tiles transformed
 * ({@code V[xi][tile][c] = B^T d B}), then per transformed position {@code xi} one GEMM
 * {@code M[xi][tile][f] = sum_c V[xi][tile][c] U[xi][c][f]} run by the SAME register-blocked micro-kernels (tiles as
 * pixels, channels as steps), then {@code A^T M A} plus bias and ReLU into HWC {@code y} (tiles past the edge
 * cropped). Weights are transformed once, in double ({@code U = G g G^T}), rounded to float. Every sum runs in a
 * fixed order (Vector API {@code fma} is always fused), so results do not depend on what C2 compiled.
 *
 * <p>Prints, per layer: thread CPU time medians over alternating rounds, ratios to direct, GFLOP/s counted as the
 * direct convolution's FLOPs (2 x 9 x C x F x H x W), and the max abs / rel error and the worst ratio
 * {@code |err| / (atol + rtol |ref|)} (atol 1e-5, rtol 1e-4, the fixture tolerances) against a double-precision
 * direct convolution; then a 10-layer Go-net chain (random weights, activations kept O(1)) for the compounded error,
 * and the error of other tile sizes and points ({@link #SETS}, scalar float).
 * Needs {@code C % L == 0} and {@code F % (4 L) == 0} (true for these shapes at 8 and 16 lanes).
 *
 * <p>{@code accuracy [n]} instead: only the worst tolerance ratio of each method over n random draws per shape.
 *
 * <p>The probe's files, one class each: this one (the measurements and their printing), {@link Layer} (a layer's
 * shapes, random data and the double-precision reference), {@link Direct} (a), {@link Winograd} (b, c: transforms and
 * the per-position GEMMs), {@link MicroKernels} (the register-blocked kernels both run) and {@link PointSets}
 * (Cook-Toom transforms of other tile sizes and points, scalar float). Several source files in one program: JDK 22 or
 * later's source launcher (e.g. Temurin 25):
 *
 * <pre>java --add-modules jdk.incubator.vector tools/bench/winograd/WinogradProbe.java [rounds] [msPerRound]
 * java --add-modules jdk.incubator.vector tools/bench/winograd/WinogradProbe.java accuracy [n]</pre>
 */
public final class WinogradProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-4;
    /** Whether {@link Winograd#run} times its three phases (only in the separate breakdown pass). */
    static boolean PHASES;

    private WinogradProbe() {
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** {max abs error, max rel error (|ref| > 1e-3), worst |err| / (atol + rtol |ref|)}. */
    static double[] errors(float[] y, double[] ref) {
        double abs = 0;
        double rel = 0;
        double tol = 0;
        for (int i = 0; i < y.length; i++) {
            double e = Math.abs(y[i] - ref[i]);
            abs = Math.max(abs, e);
            if (Math.abs(ref[i]) > 1e-3) {
                rel = Math.max(rel, e / Math.abs(ref[i]));
            }
            tol = Math.max(tol, e / (ATOL + RTOL * Math.abs(ref[i])));
        }
        return new double[] {abs, rel, tol};
    }

    static long cpu() {
        return MX.getCurrentThreadCpuTime();
    }

    /** Mean thread CPU ns per call over calls filling about {@code ms} of CPU time. */
    static double timeCalls(Conv conv, float[] x, float[] y, double ms) {
        long start = cpu();
        long end = start + (long) (ms * 1e6);
        int n = 0;
        long now;
        do {
            conv.run(x, y);
            n++;
            now = cpu();
        } while (now < end);
        return (double) (now - start) / n;
    }

    static double median(double[] d) {
        double[] s = d.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("accuracy")) {
            seeds(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        double ms = args.length > 1 ? Double.parseDouble(args[1]) : 250;
        System.out.printf("WinogradProbe jdk=%d species=%d-bit lanes=%d rounds=%d msPerRound=%.0f%n",
                Runtime.version().feature(), S.vectorBitSize(), L, rounds, ms);
        Layer[] layers = {
            new Layer("go 19x19 192->192", 19, 19, 192, 192, 1),
            new Layer("fashion 14x14 64->128", 14, 14, 64, 128, 2),
            new Layer("fashion 14x14 128->128", 14, 14, 128, 128, 3),
            new Layer("fashion 7x7 128->256", 7, 7, 128, 256, 4),
            new Layer("fashion 7x7 256->256", 7, 7, 256, 256, 5),
        };
        for (Layer l : layers) {
            if (l.c % L != 0 || l.f % (4 * L) != 0) {
                throw new IllegalStateException(l.name + ": needs C % L == 0 and F % 4L == 0 (L = " + L + ")");
            }
            List<Conv> convs = List.of(new Direct(l), new Winograd(l, 2, false), new Winograd(l, 3, false),
                    new Winograd(l, 4, false), new Winograd(l, 4, true));
            double[] ref = Layer.reference(l, toDouble(l.x));
            float[] y = new float[l.h * l.w * l.f];
            System.out.printf("%n== %s (%.1f MFLOP as direct)%n", l.name, l.flops() / 1e6);
            for (Conv conv : convs) {
                Arrays.fill(y, Float.NaN);
                conv.run(l.x, y);
                double[] e = errors(y, ref);
                float[] again = new float[y.length];
                for (int i = 0; i < 3; i++) {
                    timeCalls(conv, l.x, again, 300);       // warm-up: C2 compiles everything
                }
                conv.run(l.x, again);
                System.out.printf("  %-14s max abs %.2e  max rel %.2e  worst err/(atol+rtol|ref|) %.3f  %s%n",
                        conv.name(), e[0], e[1], e[2],
                        Arrays.equals(y, again) ? "same bits cold and compiled" : "BITS DIFFER cold vs compiled");
            }
            double[][] t = new double[convs.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < convs.size(); k++) {
                    int i = (k + r) % convs.size();                  // rotate the order every round
                    t[i][r] = timeCalls(convs.get(i), l.x, y, ms);
                }
            }
            PHASES = true;
            for (Conv conv : convs) {
                if (conv instanceof Winograd) {
                    Winograd wg = (Winograd) conv;
                    Arrays.fill(wg.phase, 0);
                    long total = 0;
                    while (total < ms * 1e6) {
                        long s0 = cpu();
                        wg.run(l.x, y);
                        total += cpu() - s0;
                    }
                    long sum = wg.phase[0] + wg.phase[1] + wg.phase[2];
                    System.out.printf("  %-14s phases: input transform %.0f%%, GEMMs %.0f%%, output transform %.0f%%%n",
                            conv.name(), 100.0 * wg.phase[0] / sum, 100.0 * wg.phase[1] / sum,
                            100.0 * wg.phase[2] / sum);
                }
            }
            PHASES = false;
            double direct = median(t[0]);
            for (int i = 0; i < convs.size(); i++) {
                double med = median(t[i]);
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = t[i][r] / t[0][r];
                }
                Arrays.sort(ratio);
                System.out.printf("  %-14s %9.1f us  ratio %.3f [%.3f-%.3f]  %6.1f GFLOP/s (direct-equivalent)%n",
                        convs.get(i).name(), med / 1e3, median(ratio), ratio[0], ratio[rounds - 1],
                        l.flops() / med);
            }
        }
        chain();
        PointSets.pointSets(new Layer[] {layers[0], layers[4]});
    }

    /** Tile sizes and point sets whose accuracy {@link #pointSets} and {@link #seeds} measure (scalar float). */
    static final Object[][] SETS = {
        {3, new double[] {0, 1, -1, 2}},
        {3, new double[] {0, 1, -1, 0.5}},
        {3, new double[] {0, 1, -1, -0.5}},
        {4, new double[] {0, 1, -1, 0.5, -2}},
        {4, new double[] {0, 1, -1, 0.5, 2}},
        {4, new double[] {0, 1, -1, 0.5, -0.5}},
        {6, new double[] {0, 1, -1, 2, -2, 0.5, -0.5}},
    };

    /** The worst tolerance ratio of each method over {@code n} random draws of the five layer shapes. */
    static void seeds(int n) {
        int[][] shapes = {{19, 192, 192}, {14, 64, 128}, {14, 128, 128}, {7, 128, 256}, {7, 256, 256}};
        String[] names = {"direct", "F(2x2,3x3)", "F(4x4,3x3)", "F(4x4,3x3)b"};
        System.out.printf("== worst err/(atol+rtol|ref|) over %d seeds per shape%n", n);
        for (int[] sh : shapes) {
            double[] worst = new double[names.length];
            for (int seed = 0; seed < n; seed++) {
                Layer l = new Layer("s", sh[0], sh[0], sh[1], sh[2], 1000 + seed);
                double[] ref = Layer.reference(l, toDouble(l.x));
                float[] y = new float[ref.length];
                for (int k = 0; k < names.length; k++) {
                    Conv conv = k == 0 ? new Direct(l) : new Winograd(l, k == 1 ? 2 : 4, k == 3);
                    conv.run(l.x, y);
                    worst[k] = Math.max(worst[k], errors(y, ref)[2]);
                }
            }
            StringBuilder line = new StringBuilder(String.format("  %2dx%-2d %3d->%-3d", sh[0], sh[0], sh[1], sh[2]));
            for (Object[] set : SETS) {
                int m = (Integer) set[0];
                double[] p = (double[]) set[1];
                double w = 0;
                for (int seed = 0; seed < n; seed++) {
                    Layer l = new Layer("s", sh[0], sh[0], sh[1], sh[2], 1000 + seed);
                    w = Math.max(w, errors(PointSets.scalarWinograd(l, PointSets.cookToom(m, p)), Layer.reference(l, toDouble(l.x)))[2]);
                }
                String points = Arrays.toString(p).replace(".0", "").replace(" ", "");
                line.append(String.format("  F(%d)%s %.3f", m, points, w));
            }
            for (int k = 0; k < names.length; k++) {
                line.append(String.format("  %s %.3f", names[k], worst[k]));
            }
            System.out.println(line);
        }
    }

    /** Ten Go-net layers in a row (random weights): the compounded float error of each method. */
    static void chain() {
        int n = 10;
        Layer[] ls = new Layer[n];
        for (int i = 0; i < n; i++) {
            ls[i] = new Layer("go" + i, 19, 19, 192, 192, 100 + i);
        }
        double[] ref = toDouble(ls[0].x);
        for (Layer l : ls) {
            ref = Layer.reference(l, ref);
        }
        System.out.printf("%n== chain of %d Go-net layers (19x19x192), final activations vs double%n", n);
        String[] names = {"direct", "F(2x2,3x3)", "F(4x4,3x3)", "F(4x4,3x3)b"};
        for (int k = 0; k < names.length; k++) {
            float[] x = ls[0].x.clone();
            for (Layer l : ls) {
                Conv conv = k == 0 ? new Direct(l) : new Winograd(l, k == 1 ? 2 : 4, k == 3);
                float[] y = new float[x.length];
                conv.run(x, y);
                x = y;
            }
            double[] e = errors(x, ref);
            double scale = 0;
            for (double d : ref) {
                scale = Math.max(scale, Math.abs(d));
            }
            System.out.printf("  %-14s max abs %.2e  max rel %.2e  worst err/(atol+rtol|ref|) %.3f  (max |ref| %.2f)%n",
                    names[k], e[0], e[1], e[2], scale);
        }
    }
}
