import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hand-written forms of the scalar convolution's product over unfolded rows ({@code ConvRows},
 * {@code ConvProducts}): {@code out[f][p] = sum_r w[f][r] * x[r][p]} for one layer shape (R rows =
 * input channels x taps, P pixels, F output channels), timed alternating in one JVM by thread CPU
 * time (so load on a shared machine costs less), median of the rounds after the first third.
 * Shows which forms C2 auto-vectorizes on the running JDK: an unvectorized form runs at 5-16
 * GFLOP/s, a vectorized one at 40-100.
 *
 * <pre>java tools/bench/ConvForms.java R P F [rounds=7] [forms=mul42,fma42,fma44,one4,fone4]</pre>
 *
 * Forms (all but mul42 and one4 use {@code Math.fma}; F must be a multiple of 4):
 * <ul>
 * <li>mul42: 4 output channels x 2 rows per pass, {@code acc[p] + k0 * u0 + k1 * u1} (the blocked
 *     product before fused multiply-adds);
 * <li>fma42: the same with {@code Math.fma(k1, u1, Math.fma(k0, u0, acc[p]))} (emitted);
 * <li>fma44: 4 channels x 4 rows per pass (vectorized by JDK 25, not by JDK 17);
 * <li>one4 / fone4: one channel, 4 rows per pass, multiply-add / fused;
 * <li>ci4 / cim4: output channels innermost (the emitted channel-inner product of small planes,
 *     JDK 17): one accumulator array of F per pixel, weight rows {@code [r][f]} as separate
 *     arrays, blocks of {@code -Drblock=48} rows, one pixel x 4 rows per pass, fused / multiply-add;
 * <li>ci24 / cim24: the same, two pixels per pass (emitted on JDK 25; JDK 17 leaves it scalar);
 * <li>ci8: one pixel x 8 rows; ciw4: ci4 with the weights in one array read at run-time offsets
 *     (neither vectorized well).
 * </ul>
 */
public final class ConvForms {
    private interface Form {
        void run(float[][] x, float[] w, float[][] acc, float[] out, int r, int p, int f);
    }

    private ConvForms() {
    }

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        int pixels = Integer.parseInt(args[1]);
        int channels = Integer.parseInt(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        String[] names = (args.length > 4 ? args[4] : "mul42,fma42,fma44,one4,fone4").split(",");
        Random random = new Random(1);
        // -Dlength=L: rows of L floats (default: the pixels); 16 + 4L a multiple of 64 (L = 12, 28, 44, ...)
        // allocates every row at the same offset within a cache line (64-byte vectors)
        int length = Integer.getInteger("length", pixels);
        float[][] x = new float[rows][length];
        for (float[] row : x) {
            for (int i = 0; i < pixels; i++) {
                row[i] = random.nextFloat() - 0.5f;
            }
        }
        float[] w = new float[channels * rows];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() - 0.5f;
        }
        float[][] acc = new float[4][length];
        float[] out = new float[channels * pixels];
        List<Form> forms = new ArrayList<>();
        for (String name : names) {
            forms.add(form(name));
        }
        double[] exact = new double[channels * pixels];
        for (int f = 0; f < channels; f++) {
            for (int r = 0; r < rows; r++) {
                for (int p = 0; p < pixels; p++) {
                    exact[f * pixels + p] += (double) w[f * rows + r] * x[r][p];
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            forms.get(i).run(x, w, acc, out, rows, pixels, channels);
            double err = 0;
            for (int j = 0; j < out.length; j++) {
                err = Math.max(err, Math.abs(out[j] - exact[j]));
            }
            System.out.printf("%-6s max |error| %.2e%n", names[i], err);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 2; warm++) {
            for (Form form : forms) {
                long t0 = System.nanoTime();
                do {
                    form.run(x, w, acc, out, rows, pixels, channels);
                } while (System.nanoTime() - t0 < 400_000_000L);
            }
        }
        double[][] nanos = new double[forms.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < forms.size(); k++) {
                int i = round % 2 == 0 ? k : forms.size() - 1 - k;
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                int calls = 0;
                do {
                    forms.get(i).run(x, w, acc, out, rows, pixels, channels);
                    calls++;
                } while (System.nanoTime() - t0 < 150_000_000L);
                nanos[i][round] = (threads.getCurrentThreadCpuTime() - c0) / (double) calls;
            }
        }
        double flop = 2.0 * rows * pixels * channels;
        System.out.printf("# R=%d P=%d F=%d, java %s, load %s%n", rows, pixels, channels,
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int i = 0; i < forms.size(); i++) {
            double[] kept = Arrays.copyOfRange(nanos[i], rounds / 3, rounds);
            Arrays.sort(kept);
            double median = kept[kept.length / 2];
            System.out.printf("%-6s %10.1f us CPU  %6.1f GFLOP/s%n", names[i], median / 1000, flop / median);
        }
    }

    private static Form form(String name) {
        switch (name) {
            case "mul42": return (x, w, acc, out, r, p, f) -> pairs(x, w, acc, out, r, p, f, false);
            case "fma42": return (x, w, acc, out, r, p, f) -> pairs(x, w, acc, out, r, p, f, true);
            case "fma44": return ConvForms::fma44;
            case "one4": return (x, w, acc, out, r, p, f) -> one4(x, w, acc, out, r, p, f, false);
            case "fone4": return (x, w, acc, out, r, p, f) -> one4(x, w, acc, out, r, p, f, true);
            case "ci4": return (x, w, acc, out, r, p, f) -> channelInner(x, w, out, r, p, f, 1, true);
            case "cim4": return (x, w, acc, out, r, p, f) -> channelInner(x, w, out, r, p, f, 1, false);
            case "ci24": return (x, w, acc, out, r, p, f) -> channelInner(x, w, out, r, p, f, 2, true);
            case "cim24": return (x, w, acc, out, r, p, f) -> channelInner(x, w, out, r, p, f, 2, false);
            case "ciw4": return ConvForms::channelInnerFlat;
            case "ci8": return (x, w, acc, out, r, p, f) -> channelInner8(x, w, out, r, p, f);
            default: throw new IllegalArgumentException("unknown form " + name);
        }
    }

    private static void pairs(float[][] x, float[] w, float[][] acc, float[] out, int rows, int n, int channels,
                              boolean fused) {
        float[] a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
        for (int oc = 0; oc < channels; oc += 4) {
            int wi = oc * rows;
            clear(acc, n);
            for (int r = 0; r + 1 < rows; r += 2) {
                float[] x0 = x[r], x1 = x[r + 1];
                float k00 = w[wi + r], k01 = w[wi + r + 1];
                float k10 = w[wi + r + rows], k11 = w[wi + r + rows + 1];
                float k20 = w[wi + r + 2 * rows], k21 = w[wi + r + 2 * rows + 1];
                float k30 = w[wi + r + 3 * rows], k31 = w[wi + r + 3 * rows + 1];
                if (fused) {
                    for (int p = 0; p < n; p++) {
                        float u0 = x0[p], u1 = x1[p];
                        a0[p] = Math.fma(k01, u1, Math.fma(k00, u0, a0[p]));
                        a1[p] = Math.fma(k11, u1, Math.fma(k10, u0, a1[p]));
                        a2[p] = Math.fma(k21, u1, Math.fma(k20, u0, a2[p]));
                        a3[p] = Math.fma(k31, u1, Math.fma(k30, u0, a3[p]));
                    }
                } else {
                    for (int p = 0; p < n; p++) {
                        float u0 = x0[p], u1 = x1[p];
                        a0[p] = a0[p] + k00 * u0 + k01 * u1;
                        a1[p] = a1[p] + k10 * u0 + k11 * u1;
                        a2[p] = a2[p] + k20 * u0 + k21 * u1;
                        a3[p] = a3[p] + k30 * u0 + k31 * u1;
                    }
                }
            }
            copyOut(acc, out, oc, n);
        }
    }

    private static void fma44(float[][] x, float[] w, float[][] acc, float[] out, int rows, int n, int channels) {
        float[] a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
        for (int oc = 0; oc < channels; oc += 4) {
            int wi = oc * rows;
            clear(acc, n);
            for (int r = 0; r + 3 < rows; r += 4) {
                float[] x0 = x[r], x1 = x[r + 1], x2 = x[r + 2], x3 = x[r + 3];
                int w0 = wi + r, w1 = w0 + rows, w2 = w1 + rows, w3 = w2 + rows;
                float k00 = w[w0], k01 = w[w0 + 1], k02 = w[w0 + 2], k03 = w[w0 + 3];
                float k10 = w[w1], k11 = w[w1 + 1], k12 = w[w1 + 2], k13 = w[w1 + 3];
                float k20 = w[w2], k21 = w[w2 + 1], k22 = w[w2 + 2], k23 = w[w2 + 3];
                float k30 = w[w3], k31 = w[w3 + 1], k32 = w[w3 + 2], k33 = w[w3 + 3];
                for (int p = 0; p < n; p++) {
                    float u0 = x0[p], u1 = x1[p], u2 = x2[p], u3 = x3[p];
                    a0[p] = Math.fma(k03, u3, Math.fma(k02, u2, Math.fma(k01, u1, Math.fma(k00, u0, a0[p]))));
                    a1[p] = Math.fma(k13, u3, Math.fma(k12, u2, Math.fma(k11, u1, Math.fma(k10, u0, a1[p]))));
                    a2[p] = Math.fma(k23, u3, Math.fma(k22, u2, Math.fma(k21, u1, Math.fma(k20, u0, a2[p]))));
                    a3[p] = Math.fma(k33, u3, Math.fma(k32, u2, Math.fma(k31, u1, Math.fma(k30, u0, a3[p]))));
                }
            }
            copyOut(acc, out, oc, n);
        }
    }

    private static void one4(float[][] x, float[] w, float[][] acc, float[] out, int rows, int n, int channels,
                             boolean fused) {
        float[] a = acc[0];
        for (int oc = 0; oc < channels; oc++) {
            int wi = oc * rows;
            Arrays.fill(a, 0, n, 0f);
            for (int r = 0; r + 3 < rows; r += 4) {
                float k0 = w[wi + r], k1 = w[wi + r + 1], k2 = w[wi + r + 2], k3 = w[wi + r + 3];
                float[] x0 = x[r], x1 = x[r + 1], x2 = x[r + 2], x3 = x[r + 3];
                if (fused) {
                    for (int p = 0; p < n; p++) {
                        a[p] = Math.fma(k3, x3[p], Math.fma(k2, x2[p], Math.fma(k1, x1[p], Math.fma(k0, x0[p], a[p]))));
                    }
                } else {
                    for (int p = 0; p < n; p++) {
                        a[p] = a[p] + k0 * x0[p] + k1 * x1[p] + k2 * x2[p] + k3 * x3[p];
                    }
                }
            }
            System.arraycopy(a, 0, out, oc * n, n);
        }
    }

    private static float[][] wt;
    private static float[][] hwc;

    /** The weights as rows of F floats ({@code wt[r][f]}) and one accumulator row of F per pixel. */
    private static void prepare(float[] w, int rows, int n, int channels) {
        if (wt == null || wt.length != rows || wt[0].length != channels) {
            wt = new float[rows][channels];
            for (int f = 0; f < channels; f++) {
                for (int r = 0; r < rows; r++) {
                    wt[r][f] = w[f * rows + r];
                }
            }
            hwc = new float[n][channels];
        }
    }

    /** Output channels innermost: per pixel (or pair of pixels) and block of 4 rows, {@code o[j] += sum a_k * w_k[j]}. */
    private static void channelInner(float[][] x, float[] w, float[] out, int rows, int n, int channels,
                                     int pix, boolean fused) {
        prepare(w, rows, n, channels);
        int block = Integer.getInteger("rblock", 48);
        for (float[] o : hwc) {
            Arrays.fill(o, 0f);
        }
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            int p = 0;
            if (pix == 2) {
                for (; p + 1 < n; p += 2) {
                    float[] o0 = hwc[p], o1 = hwc[p + 1];
                    for (int r = r0; r + 3 < r1; r += 4) {
                        float[] w0 = wt[r], w1 = wt[r + 1], w2 = wt[r + 2], w3 = wt[r + 3];
                        float a0 = x[r][p], a1 = x[r + 1][p], a2 = x[r + 2][p], a3 = x[r + 3][p];
                        float b0 = x[r][p + 1], b1 = x[r + 1][p + 1], b2 = x[r + 2][p + 1], b3 = x[r + 3][p + 1];
                        if (fused) {
                            for (int j = 0; j < channels; j++) {
                                float v0 = w0[j], v1 = w1[j], v2 = w2[j], v3 = w3[j];
                                o0[j] = Math.fma(a3, v3, Math.fma(a2, v2, Math.fma(a1, v1, Math.fma(a0, v0, o0[j]))));
                                o1[j] = Math.fma(b3, v3, Math.fma(b2, v2, Math.fma(b1, v1, Math.fma(b0, v0, o1[j]))));
                            }
                        } else {
                            for (int j = 0; j < channels; j++) {
                                float v0 = w0[j], v1 = w1[j], v2 = w2[j], v3 = w3[j];
                                o0[j] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
                                o1[j] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
                            }
                        }
                    }
                }
            }
            for (; p < n; p++) {
                float[] o = hwc[p];
                for (int r = r0; r + 3 < r1; r += 4) {
                    float[] w0 = wt[r], w1 = wt[r + 1], w2 = wt[r + 2], w3 = wt[r + 3];
                    float a0 = x[r][p], a1 = x[r + 1][p], a2 = x[r + 2][p], a3 = x[r + 3][p];
                    if (fused) {
                        for (int j = 0; j < channels; j++) {
                            o[j] = Math.fma(a3, w3[j], Math.fma(a2, w2[j], Math.fma(a1, w1[j], Math.fma(a0, w0[j], o[j]))));
                        }
                    } else {
                        for (int j = 0; j < channels; j++) {
                            o[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
                        }
                    }
                }
            }
        }
        for (int p = 0; p < n; p++) {
            float[] o = hwc[p];
            for (int f = 0; f < channels; f++) {
                out[f * n + p] = o[f];
            }
        }
    }

    private static float[] flat;

    /** As ci4 with the weights in one array {@code [r][f]}, read at run-time offsets. */
    private static void channelInnerFlat(float[][] x, float[] w, float[][] acc, float[] out, int rows, int n, int channels) {
        prepare(w, rows, n, channels);
        if (flat == null || flat.length != rows * channels) {
            flat = new float[rows * channels];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(wt[r], 0, flat, r * channels, channels);
            }
        }
        float[] v = flat;
        for (float[] o : hwc) {
            Arrays.fill(o, 0f);
        }
        int block = Integer.getInteger("rblock", 48);
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int p = 0; p < n; p++) {
                float[] o = hwc[p];
                for (int r = r0; r + 3 < r1; r += 4) {
                    int b = r * channels;
                    float a0 = x[r][p], a1 = x[r + 1][p], a2 = x[r + 2][p], a3 = x[r + 3][p];
                    for (int j = 0; j < channels; j++) {
                        o[j] = Math.fma(a3, v[b + 3 * channels + j], Math.fma(a2, v[b + 2 * channels + j],
                                Math.fma(a1, v[b + channels + j], Math.fma(a0, v[b + j], o[j]))));
                    }
                }
            }
        }
        for (int p = 0; p < n; p++) {
            float[] o = hwc[p];
            for (int f = 0; f < channels; f++) {
                out[f * n + p] = o[f];
            }
        }
    }

    private static void channelInner8(float[][] x, float[] w, float[] out, int rows, int n, int channels) {
        prepare(w, rows, n, channels);
        int block = Integer.getInteger("rblock", 48);
        for (float[] o : hwc) {
            Arrays.fill(o, 0f);
        }
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int p = 0; p < n; p++) {
                float[] o = hwc[p];
                for (int r = r0; r + 7 < r1; r += 8) {
                    float[] w0 = wt[r], w1 = wt[r + 1], w2 = wt[r + 2], w3 = wt[r + 3];
                    float[] w4 = wt[r + 4], w5 = wt[r + 5], w6 = wt[r + 6], w7 = wt[r + 7];
                    float a0 = x[r][p], a1 = x[r + 1][p], a2 = x[r + 2][p], a3 = x[r + 3][p];
                    float a4 = x[r + 4][p], a5 = x[r + 5][p], a6 = x[r + 6][p], a7 = x[r + 7][p];
                    for (int j = 0; j < channels; j++) {
                        o[j] = Math.fma(a7, w7[j], Math.fma(a6, w6[j], Math.fma(a5, w5[j], Math.fma(a4, w4[j],
                                Math.fma(a3, w3[j], Math.fma(a2, w2[j], Math.fma(a1, w1[j], Math.fma(a0, w0[j], o[j]))))))));
                    }
                }
            }
        }
        for (int p = 0; p < n; p++) {
            float[] o = hwc[p];
            for (int f = 0; f < channels; f++) {
                out[f * n + p] = o[f];
            }
        }
    }

    private static void clear(float[][] acc, int n) {
        for (float[] a : acc) {
            Arrays.fill(a, 0, n, 0f);
        }
    }

    private static void copyOut(float[][] acc, float[] out, int oc, int n) {
        for (int j = 0; j < 4; j++) {
            System.arraycopy(acc[j], 0, out, (oc + j) * n, n);
        }
    }
}
