import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
 * <pre>java --add-modules jdk.incubator.vector tools/bench/WinogradProbe.java [rounds] [msPerRound]
 * java --add-modules jdk.incubator.vector tools/bench/WinogradProbe.java accuracy [n]</pre>
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

    /** One layer: input h x w x c (HWC), f output channels, 3x3 pad 1 stride 1, ReLU. */
    static final class Layer {
        final String name;
        final int h;
        final int w;
        final int c;
        final int f;
        final float[] x;
        final float[] weights;     // [f][c][3][3], as PyTorch stores it
        final float[] bias;

        Layer(String name, int h, int w, int c, int f, long seed) {
            this.name = name;
            this.h = h;
            this.w = w;
            this.c = c;
            this.f = f;
            Random r = new Random(seed);
            x = new float[h * w * c];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(0f, (float) r.nextGaussian());      // post-ReLU activations, O(1)
            }
            weights = new float[f * c * 9];
            double bound = Math.sqrt(6.0 / (9 * c));              // Kaiming-uniform scale: outputs stay O(1)
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) ((2 * r.nextDouble() - 1) * bound);
            }
            bias = new float[f];
            for (int i = 0; i < f; i++) {
                bias[i] = (float) ((2 * r.nextDouble() - 1) * 0.1);
            }
        }

        double flops() {
            return 2.0 * 9 * c * f * h * w;
        }
    }

    /** A convolution implementation prepared for one layer (weights packed or transformed once). */
    interface Conv {
        String name();

        void run(float[] x, float[] y);
    }

    // ---------------------------------------------------------------- reference

    static double[] reference(Layer l, double[] x) {
        double[] y = new double[l.h * l.w * l.f];
        for (int oy = 0; oy < l.h; oy++) {
            for (int ox = 0; ox < l.w; ox++) {
                for (int o = 0; o < l.f; o++) {
                    double s = l.bias[o];
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = oy + ky - 1;
                        if (iy < 0 || iy >= l.h) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = ox + kx - 1;
                            if (ix < 0 || ix >= l.w) {
                                continue;
                            }
                            int xi = (iy * l.w + ix) * l.c;
                            int wi = o * l.c * 9 + ky * 3 + kx;
                            for (int ci = 0; ci < l.c; ci++) {
                                s += x[xi + ci] * l.weights[wi + ci * 9];
                            }
                        }
                    }
                    y[(oy * l.w + ox) * l.f + o] = Math.max(0, s);
                }
            }
        }
        return y;
    }

    /** Copies HWC {@code x} into the interior of a zero-padded {@code hp x wp} buffer (1 pixel top/left). */
    static void pad(float[] x, int h, int w, int c, float[] xp, int wp) {
        for (int iy = 0; iy < h; iy++) {
            System.arraycopy(x, iy * w * c, xp, ((iy + 1) * wp + 1) * c, w * c);
        }
    }

    // ---------------------------------------------------------------- (a) direct, kernel rows

    /** The kernel-row direct convolution of {@code SimdKernels.convRows} (all vector groups of 4). */
    static final class Direct implements Conv {
        final Layer l;
        final int wp;
        final float[] xp;
        final int[] pix;
        final int run;
        final int kl;
        final float[] w;

        Direct(Layer l) {
            this.l = l;
            wp = l.w + 2;
            xp = new float[(l.h + 2) * wp * l.c];
            pix = new int[l.h * l.w];
            for (int oy = 0; oy < l.h; oy++) {
                for (int ox = 0; ox < l.w; ox++) {
                    pix[oy * l.w + ox] = (oy * wp + ox) * l.c;
                }
            }
            run = 3 * l.c;
            kl = 9 * l.c * L;
            // packConv: output vector v, step s = (ky, kx, ci), lane
            int nv = l.f / L;
            w = new float[nv * kl];
            for (int v = 0; v < nv; v++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        for (int ci = 0; ci < l.c; ci++) {
                            int s = (ky * 3 + kx) * l.c + ci;
                            for (int lane = 0; lane < L; lane++) {
                                w[v * kl + s * L + lane] = l.weights[((v * L + lane) * l.c + ci) * 9 + ky * 3 + kx];
                            }
                        }
                    }
                }
            }
        }

        @Override
        public String name() {
            return "direct";
        }

        @Override
        public void run(float[] x, float[] y) {
            pad(x, l.h, l.w, l.c, xp, wp);
            int f = l.f;
            int nv = f / L;
            int pixels = pix.length;
            float[] b = l.bias;
            for (int v = 0; v < nv; v += 4) {
                int p = 0;
                for (; p + 6 <= pixels; p += 6) {
                    for (int r = 0; r < 3; r++) {
                        int o = r * wp * l.c;
                        boolean first = r == 0;
                        rows4x6(xp, pix[p] + o, pix[p + 1] + o, pix[p + 2] + o, pix[p + 3] + o, pix[p + 4] + o,
                                pix[p + 5] + o, run, w, v * kl + r * run * L, kl, first ? b : y,
                                first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                                r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                    }
                }
                for (; p + 3 <= pixels; p += 3) {
                    for (int r = 0; r < 3; r++) {
                        int o = r * wp * l.c;
                        boolean first = r == 0;
                        rows4x3(xp, pix[p] + o, pix[p + 1] + o, pix[p + 2] + o, run, w, v * kl + r * run * L, kl,
                                first ? b : y, first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                                r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                    }
                }
                for (; p < pixels; p++) {
                    for (int r = 0; r < 3; r++) {
                        int o = r * wp * l.c;
                        boolean first = r == 0;
                        rows4x1(xp, pix[p] + o, run, w, v * kl + r * run * L, kl, first ? b : y,
                                first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                                r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                    }
                }
            }
        }
    }

    /**
     * The GEMM of one transformed position: {@code m[mo + t * f + o] = sum_c v[vo + t * c + ci] u[uo + ...]} for all
     * tiles t, through the same micro-kernels and blocking as {@link Direct} (accumulators from zero).
     */
    static void gemm(float[] v, int vo, int tiles, int c, float[] u, int uo, float[] zero, float[] m, int mo, int f) {
        int nv = f / L;
        int kl = c * L;
        float ninf = Float.NEGATIVE_INFINITY;
        for (int g = 0; g < nv; g += 4) {
            int wo = uo + g * kl;
            int t = 0;
            for (; t + 6 <= tiles; t += 6) {
                int x0 = vo + t * c;
                rows4x6(v, x0, x0 + c, x0 + 2 * c, x0 + 3 * c, x0 + 4 * c, x0 + 5 * c, c, u, wo, kl, zero, 0, 0, m,
                        mo + t * f + g * L, f, ninf);
            }
            for (; t + 3 <= tiles; t += 3) {
                int x0 = vo + t * c;
                rows4x3(v, x0, x0 + c, x0 + 2 * c, c, u, wo, kl, zero, 0, 0, m, mo + t * f + g * L, f, ninf);
            }
            for (; t < tiles; t++) {
                rows4x1(v, vo + t * c, c, u, wo, kl, zero, 0, 0, m, mo + t * f + g * L, f, ninf);
            }
        }
    }

    // ---------------------------------------------------------------- (b), (c) Winograd

    static final double[][] G2 = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    static final double[][] G4 = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};

    /** The finite points of the alternative F(4x4,3x3) (the others: F(2) 0, 1, -1; Lavin's F(4) 0, +-1, +-2). */
    static final double[] POINTS_4B = {0, 1, -1, 0.5, -2};
    /** The finite points of the F(3x3,3x3) measured. */
    static final double[] POINTS_3 = {0, 1, -1, 0.5};

    /**
     * Winograd F(m x m, 3x3), m = 2, 3 or 4: input transform, a*a GEMMs, output transform with bias and ReLU. With
     * {@code alt}, F(4) uses the points 0, 1, -1, 1/2, -2 (transforms {@link #bt4b}, {@link #at4b}, G from
     * {@link #cookToom}) instead of Lavin's 0, 1, -1, 2, -2.
     */
    static final class Winograd implements Conv {
        final Layer l;
        final int m;
        final int a;
        final int th;
        final int tw;
        final int tiles;
        final int wp;
        final float[] xp;
        final float[] u;
        final float[] v;
        final float[] mm;
        final float[] tmp;
        final float[] tmp2;
        final float[] zero = new float[4 * L];
        /** CPU ns spent in input transform (with padding), GEMMs, output transform, while {@link #PHASES}. */
        final long[] phase = new long[3];

        final boolean alt;

        Winograd(Layer l, int m, boolean alt) {
            this.l = l;
            this.m = m;
            this.alt = alt;
            a = m + 2;
            th = (l.h + m - 1) / m;
            tw = (l.w + m - 1) / m;
            tiles = th * tw;
            wp = tw * m + 2;
            xp = new float[(th * m + 2) * wp * l.c];
            v = new float[a * a * tiles * l.c];
            mm = new float[a * a * tiles * l.f];
            tmp = new float[a * a * L];
            tmp2 = new float[a * a * L];
            double[][] g = m == 3 ? cookToom(3, POINTS_3)[1] : alt ? cookToom(4, POINTS_4B)[1] : m == 2 ? G2 : G4;
            int c = l.c;
            int f = l.f;
            u = new float[a * a * c * f];
            int kl = c * L;
            for (int o = 0; o < f; o++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int i = 0; i < a; i++) {
                        for (int j = 0; j < a; j++) {
                            double s = 0;
                            for (int p = 0; p < 3; p++) {
                                for (int q = 0; q < 3; q++) {
                                    s += g[i][p] * l.weights[(o * c + ci) * 9 + p * 3 + q] * g[j][q];
                                }
                            }
                            u[(i * a + j) * c * f + (o / L) * kl + ci * L + o % L] = (float) s;
                        }
                    }
                }
            }
        }

        @Override
        public String name() {
            return "F(" + m + "x" + m + ",3x3)" + (alt ? "b" : "");
        }

        /** The input transform of this F on one column or row of a tile. */
        void bt(float[] s, int s0, int ss, float[] d, int d0, int ds) {
            if (m == 2) {
                bt2(s, s0, ss, d, d0, ds);
            } else if (m == 3) {
                bt3(s, s0, ss, d, d0, ds);
            } else if (alt) {
                bt4b(s, s0, ss, d, d0, ds);
            } else {
                bt4(s, s0, ss, d, d0, ds);
            }
        }

        /** The output transform of this F on one column or row of a tile. */
        void at(float[] s, int s0, int ss, float[] d, int d0, int ds) {
            if (m == 2) {
                at2(s, s0, ss, d, d0, ds);
            } else if (m == 3) {
                at3(s, s0, ss, d, d0, ds);
            } else if (alt) {
                at4b(s, s0, ss, d, d0, ds);
            } else {
                at4(s, s0, ss, d, d0, ds);
            }
        }

        @Override
        public void run(float[] x, float[] y) {
            int c = l.c;
            int f = l.f;
            pad(x, l.h, l.w, c, xp, wp);
            long t0 = PHASES ? cpu() : 0;
            int row = wp * c;
            int vs = tiles * c;
            for (int ty = 0; ty < th; ty++) {
                for (int tx = 0; tx < tw; tx++) {
                    int t = ty * tw + tx;
                    int base = (ty * m * wp + tx * m) * c;
                    for (int cv = 0; cv < c; cv += L) {
                        for (int j = 0; j < a; j++) {
                            bt(xp, base + j * c + cv, row, tmp, j * L, a * L);
                        }
                        for (int i = 0; i < a; i++) {
                            int d = i * a * vs + t * c + cv;
                            bt(tmp, i * a * L, L, v, d, vs);
                        }
                    }
                }
            }
            long t1 = PHASES ? cpu() : 0;
            for (int xi = 0; xi < a * a; xi++) {
                gemm(v, xi * vs, tiles, c, u, xi * c * f, zero, mm, xi * tiles * f, f);
            }
            long t2 = PHASES ? cpu() : 0;
            int ms = tiles * f;
            FloatVector zeroV = FloatVector.zero(S);
            for (int ty = 0; ty < th; ty++) {
                for (int tx = 0; tx < tw; tx++) {
                    int t = ty * tw + tx;
                    for (int fv = 0; fv < f; fv += L) {
                        for (int j = 0; j < a; j++) {
                            at(mm, j * ms + t * f + fv, a * ms, tmp, j * L, a * L);
                        }
                        for (int i = 0; i < m; i++) {
                            at(tmp, i * a * L, L, tmp2, i * m * L, L);
                        }
                        FloatVector bias = FloatVector.fromArray(S, l.bias, fv);
                        int rows = Math.min(m, l.h - ty * m);
                        int cols = Math.min(m, l.w - tx * m);
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < cols; j++) {
                                FloatVector.fromArray(S, tmp2, (i * m + j) * L).add(bias).max(zeroV)
                                        .intoArray(y, ((ty * m + i) * l.w + tx * m + j) * f + fv);
                            }
                        }
                    }
                }
            }
            if (PHASES) {
                long t3 = cpu();
                phase[0] += t1 - t0;
                phase[1] += t2 - t1;
                phase[2] += t3 - t2;
            }
        }
    }

    /** B^T d of F(2,3) on 4 vectors at {@code s[s0 + k * ss]}, into {@code d[d0 + k * ds]}. */
    static void bt2(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        x0.sub(x2).intoArray(d, d0);
        x1.add(x2).intoArray(d, d0 + ds);
        x2.sub(x1).intoArray(d, d0 + 2 * ds);
        x1.sub(x3).intoArray(d, d0 + 3 * ds);
    }

    /** A^T m of F(2,3): 4 vectors in, 2 out. */
    static void at2(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        x0.add(x1).add(x2).intoArray(d, d0);
        x1.sub(x2).sub(x3).intoArray(d, d0 + ds);
    }

    /** B^T d of F(4,3) (points 0, 1, -1, 2, -2, inf): 6 vectors in, 6 out. */
    static void bt4(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, s, s0 + 5 * ss);
        FloatVector p = x4.sub(x2.mul(4f));          // x4 - 4 x2
        FloatVector q = x3.sub(x1.mul(4f));          // x3 - 4 x1
        FloatVector r = x4.sub(x2);                  // x4 - x2
        FloatVector t = x3.sub(x1).mul(2f);          // 2 (x3 - x1)
        x0.mul(4f).sub(x2.mul(5f)).add(x4).intoArray(d, d0);
        p.add(q).intoArray(d, d0 + ds);
        p.sub(q).intoArray(d, d0 + 2 * ds);
        r.add(t).intoArray(d, d0 + 3 * ds);
        r.sub(t).intoArray(d, d0 + 4 * ds);
        x1.mul(4f).sub(x3.mul(5f)).add(x5).intoArray(d, d0 + 5 * ds);
    }

    /** A^T m of F(4,3): 6 vectors in, 4 out. */
    static void at4(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, s, s0 + 5 * ss);
        FloatVector sp = x1.add(x2);
        FloatVector sm = x1.sub(x2);
        FloatVector tp = x3.add(x4);
        FloatVector tm = x3.sub(x4);
        x0.add(sp).add(tp).intoArray(d, d0);
        sm.add(tm.mul(2f)).intoArray(d, d0 + ds);
        sp.add(tp.mul(4f)).intoArray(d, d0 + 2 * ds);
        sm.add(tm.mul(8f)).add(x5).intoArray(d, d0 + 3 * ds);
    }

    /** B^T d of F(3,3) with the points 0, 1, -1, 1/2 (rows of {@code cookToom(3, POINTS_3)[2]}): 5 in, 5 out. */
    static void bt3(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        x0.mul(0.5f).sub(x1).sub(x2.mul(0.5f)).add(x3).intoArray(d, d0);
        x2.sub(x1).mul(0.5f).add(x3).intoArray(d, d0 + ds);
        x1.mul(0.5f).sub(x2.mul(1.5f)).add(x3).intoArray(d, d0 + 2 * ds);
        x3.sub(x1).intoArray(d, d0 + 3 * ds);
        x1.mul(0.5f).sub(x2).sub(x3.mul(0.5f)).add(x4).intoArray(d, d0 + 4 * ds);
    }

    /** A^T m of F(3,3) with the points 0, 1, -1, 1/2: 5 vectors in, 3 out. */
    static void at3(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        x0.add(x1).add(x2).add(x3).intoArray(d, d0);
        x1.sub(x2).add(x3.mul(0.5f)).intoArray(d, d0 + ds);
        x1.add(x2).add(x3.mul(0.25f)).add(x4).intoArray(d, d0 + 2 * ds);
    }

    /** B^T d of F(4,3) with the points 0, 1, -1, 1/2, -2 (rows of {@code cookToom(4, POINTS_4B)[2]}, left to right). */
    static void bt4b(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, s, s0 + 5 * ss);
        x0.sub(x1.mul(1.5f)).sub(x2.mul(2f)).add(x3.mul(1.5f)).add(x4).intoArray(d, d0);
        x2.mul(0.5f).sub(x1).add(x3.mul(2.5f)).add(x4).intoArray(d, d0 + ds);
        x1.sub(x2.mul(2.5f)).add(x3.mul(0.5f)).add(x4).intoArray(d, d0 + 2 * ds);
        x3.mul(2f).sub(x1.mul(2f)).sub(x2).add(x4).intoArray(d, d0 + 3 * ds);
        x1.mul(0.5f).sub(x2).sub(x3.mul(0.5f)).add(x4).intoArray(d, d0 + 4 * ds);
        x1.sub(x2.mul(1.5f)).sub(x3.mul(2f)).add(x4.mul(1.5f)).add(x5).intoArray(d, d0 + 5 * ds);
    }

    /** A^T m of F(4,3) with the points 0, 1, -1, 1/2, -2: 6 vectors in, 4 out. */
    static void at4b(float[] s, int s0, int ss, float[] d, int d0, int ds) {
        FloatVector x0 = FloatVector.fromArray(S, s, s0);
        FloatVector x1 = FloatVector.fromArray(S, s, s0 + ss);
        FloatVector x2 = FloatVector.fromArray(S, s, s0 + 2 * ss);
        FloatVector x3 = FloatVector.fromArray(S, s, s0 + 3 * ss);
        FloatVector x4 = FloatVector.fromArray(S, s, s0 + 4 * ss);
        FloatVector x5 = FloatVector.fromArray(S, s, s0 + 5 * ss);
        x0.add(x1).add(x2).add(x3).add(x4).intoArray(d, d0);
        x1.sub(x2).add(x3.mul(0.5f)).sub(x4.mul(2f)).intoArray(d, d0 + ds);
        x1.add(x2).add(x3.mul(0.25f)).add(x4.mul(4f)).intoArray(d, d0 + 2 * ds);
        x1.sub(x2).add(x3.mul(0.125f)).sub(x4.mul(8f)).add(x5).intoArray(d, d0 + 3 * ds);
    }

    // ---------------------------------------------------------------- measurement

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
            double[] ref = reference(l, toDouble(l.x));
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
        pointSets(new Layer[] {layers[0], layers[4]});
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
                double[] ref = reference(l, toDouble(l.x));
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
                    w = Math.max(w, errors(scalarWinograd(l, cookToom(m, p)), reference(l, toDouble(l.x)))[2]);
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
            ref = reference(l, ref);
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

    // ---------------------------------------------------------------- accuracy of other tile sizes / points

    /**
     * Cook-Toom matrices of F(m, 3) for the finite points {@code p} (m + 1 of them) plus infinity:
     * {@code {A^T (m x n), G (n x 3), B^T (n x n)}}, n = m + 2. {@code A^T[i][j] = p_j^i} and {@code G[j][k] = p_j^k}
     * (Vandermonde evaluation, the infinity column/row picking the top coefficient), {@code B^T} the transposed
     * inverse of the n x n evaluation matrix (interpolation); each row j of {@code B^T} is then scaled by
     * {@code N_j = prod (p_j - p_l)} and row j of {@code G} divided by it (Lavin's form: small integers in B^T).
     */
    static double[][][] cookToom(int m, double[] p) {
        int n = m + 2;
        double[][] at = new double[m][n];
        double[][] g = new double[n][3];
        double[][] v = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                v[j][i] = j < n - 1 ? Math.pow(p[j], i) : i == n - 1 ? 1 : 0;
            }
            for (int i = 0; i < m; i++) {
                at[i][j] = j < n - 1 ? Math.pow(p[j], i) : i == m - 1 ? 1 : 0;
            }
            for (int k = 0; k < 3; k++) {
                g[j][k] = j < n - 1 ? Math.pow(p[j], k) : k == 2 ? 1 : 0;
            }
        }
        double[][] inv = invert(v);
        double[][] bt = new double[n][n];
        for (int j = 0; j < n; j++) {
            double nj = 1;
            for (int l = 0; l < n - 1; l++) {
                if (j < n - 1 && l != j) {
                    nj *= p[j] - p[l];
                }
            }
            for (int l = 0; l < n; l++) {
                bt[j][l] = inv[l][j] * nj;
            }
            for (int k = 0; k < 3; k++) {
                g[j][k] /= nj;
            }
        }
        return new double[][][] {at, g, bt};
    }

    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** {@code sum_j mat[i][j] * in[j]} in float, skipping zeros, left to right. */
    static float[] apply(double[][] mat, float[] in) {
        float[] out = new float[mat.length];
        for (int i = 0; i < mat.length; i++) {
            float s = 0;
            for (int j = 0; j < in.length; j++) {
                if (mat[i][j] != 0) {
                    s += (float) mat[i][j] * in[j];
                }
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * Scalar float Winograd F(m x m, 3x3) with the given matrices (transforms in float, weights transformed in
     * double, each GEMM sum a float fma chain over the channels in order, as the vector kernels): for accuracy
     * only.
     */
    static float[] scalarWinograd(Layer l, double[][][] mats) {
        double[][] at = mats[0];
        double[][] g = mats[1];
        double[][] bt = mats[2];
        int m = at.length;
        int n = m + 2;
        int th = (l.h + m - 1) / m;
        int tw = (l.w + m - 1) / m;
        int c = l.c;
        float[][][] u = new float[n * n][l.f][c];
        for (int o = 0; o < l.f; o++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < 3; p++) {
                            for (int q = 0; q < 3; q++) {
                                s += g[i][p] * l.weights[(o * c + ci) * 9 + p * 3 + q] * g[j][q];
                            }
                        }
                        u[i * n + j][o][ci] = (float) s;
                    }
                }
            }
        }
        float[] y = new float[l.h * l.w * l.f];
        float[][] v = new float[n * n][c];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                for (int ci = 0; ci < c; ci++) {
                    float[][] d = new float[n][n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            int iy = ty * m + i - 1;
                            int ix = tx * m + j - 1;
                            d[i][j] = iy >= 0 && iy < l.h && ix >= 0 && ix < l.w ? l.x[(iy * l.w + ix) * c + ci] : 0f;
                        }
                    }
                    float[][] cols = new float[n][];
                    for (int j = 0; j < n; j++) {
                        float[] col = new float[n];
                        for (int i = 0; i < n; i++) {
                            col[i] = d[i][j];
                        }
                        cols[j] = apply(bt, col);              // cols[j][i] = (B^T d)[i][j]
                    }
                    for (int i = 0; i < n; i++) {
                        float[] row = new float[n];
                        for (int j = 0; j < n; j++) {
                            row[j] = cols[j][i];
                        }
                        float[] r = apply(bt, row);
                        for (int j = 0; j < n; j++) {
                            v[i * n + j][ci] = r[j];
                        }
                    }
                }
                for (int o = 0; o < l.f; o++) {
                    float[][] mm = new float[n][n];
                    for (int xi = 0; xi < n * n; xi++) {
                        float s = 0;
                        for (int ci = 0; ci < c; ci++) {
                            s = Math.fma(v[xi][ci], u[xi][o][ci], s);
                        }
                        mm[xi / n][xi % n] = s;
                    }
                    float[][] cols = new float[n][];
                    for (int j = 0; j < n; j++) {
                        float[] col = new float[n];
                        for (int i = 0; i < n; i++) {
                            col[i] = mm[i][j];
                        }
                        cols[j] = apply(at, col);
                    }
                    for (int i = 0; i < m; i++) {
                        float[] row = new float[n];
                        for (int j = 0; j < n; j++) {
                            row[j] = cols[j][i];
                        }
                        float[] r = apply(at, row);
                        for (int j = 0; j < m; j++) {
                            int oy = ty * m + i;
                            int ox = tx * m + j;
                            if (oy < l.h && ox < l.w) {
                                y[(oy * l.w + ox) * l.f + o] = Math.max(0f, r[j] + l.bias[o]);
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** The error of F(3), F(4), F(6) with the point sets {@link #SETS} (scalar float), on the given layers. */
    static void pointSets(Layer[] layers) {
        Object[][] sets = SETS;
        System.out.printf("%n== accuracy by tile size and points (scalar float Winograd, same summation order)%n");
        for (Layer l : layers) {
            double[] ref = reference(l, toDouble(l.x));
            for (Object[] set : sets) {
                int m = (Integer) set[0];
                double[] p = (double[]) set[1];
                double[] e = errors(scalarWinograd(l, cookToom(m, p)), ref);
                System.out.printf("  %-24s F(%dx%d,3x3) points %-28s max abs %.2e  max rel %.2e  worst err/tol %.3f%n",
                        l.name, m, m, Arrays.toString(p), e[0], e[1], e[2]);
            }
        }
    }

    // ---------------------------------------------------------------- micro-kernels (as SimdMicroKernels.rowKernel)

    /** 4 output vectors x 6 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x6(float[] x, int x0, int x1, int x2, int x3, int x4, int x5, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a01 = FloatVector.fromArray(S, b, bo + 1 * bs + 0 * L);
        FloatVector a02 = FloatVector.fromArray(S, b, bo + 2 * bs + 0 * L);
        FloatVector a03 = FloatVector.fromArray(S, b, bo + 3 * bs + 0 * L);
        FloatVector a04 = FloatVector.fromArray(S, b, bo + 4 * bs + 0 * L);
        FloatVector a05 = FloatVector.fromArray(S, b, bo + 5 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a11 = FloatVector.fromArray(S, b, bo + 1 * bs + 1 * L);
        FloatVector a12 = FloatVector.fromArray(S, b, bo + 2 * bs + 1 * L);
        FloatVector a13 = FloatVector.fromArray(S, b, bo + 3 * bs + 1 * L);
        FloatVector a14 = FloatVector.fromArray(S, b, bo + 4 * bs + 1 * L);
        FloatVector a15 = FloatVector.fromArray(S, b, bo + 5 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a21 = FloatVector.fromArray(S, b, bo + 1 * bs + 2 * L);
        FloatVector a22 = FloatVector.fromArray(S, b, bo + 2 * bs + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, b, bo + 3 * bs + 2 * L);
        FloatVector a24 = FloatVector.fromArray(S, b, bo + 4 * bs + 2 * L);
        FloatVector a25 = FloatVector.fromArray(S, b, bo + 5 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        FloatVector a31 = FloatVector.fromArray(S, b, bo + 1 * bs + 3 * L);
        FloatVector a32 = FloatVector.fromArray(S, b, bo + 2 * bs + 3 * L);
        FloatVector a33 = FloatVector.fromArray(S, b, bo + 3 * bs + 3 * L);
        FloatVector a34 = FloatVector.fromArray(S, b, bo + 4 * bs + 3 * L);
        FloatVector a35 = FloatVector.fromArray(S, b, bo + 5 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
            FloatVector i1 = FloatVector.broadcast(S, x[x1 + s]);
            a01 = w0.fma(i1, a01);
            a11 = w1.fma(i1, a11);
            a21 = w2.fma(i1, a21);
            a31 = w3.fma(i1, a31);
            FloatVector i2 = FloatVector.broadcast(S, x[x2 + s]);
            a02 = w0.fma(i2, a02);
            a12 = w1.fma(i2, a12);
            a22 = w2.fma(i2, a22);
            a32 = w3.fma(i2, a32);
            FloatVector i3 = FloatVector.broadcast(S, x[x3 + s]);
            a03 = w0.fma(i3, a03);
            a13 = w1.fma(i3, a13);
            a23 = w2.fma(i3, a23);
            a33 = w3.fma(i3, a33);
            FloatVector i4 = FloatVector.broadcast(S, x[x4 + s]);
            a04 = w0.fma(i4, a04);
            a14 = w1.fma(i4, a14);
            a24 = w2.fma(i4, a24);
            a34 = w3.fma(i4, a34);
            FloatVector i5 = FloatVector.broadcast(S, x[x5 + s]);
            a05 = w0.fma(i5, a05);
            a15 = w1.fma(i5, a15);
            a25 = w2.fma(i5, a25);
            a35 = w3.fma(i5, a35);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a01.max(lo).intoArray(y, yo + 1 * ys + 0 * L);
        a02.max(lo).intoArray(y, yo + 2 * ys + 0 * L);
        a03.max(lo).intoArray(y, yo + 3 * ys + 0 * L);
        a04.max(lo).intoArray(y, yo + 4 * ys + 0 * L);
        a05.max(lo).intoArray(y, yo + 5 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a11.max(lo).intoArray(y, yo + 1 * ys + 1 * L);
        a12.max(lo).intoArray(y, yo + 2 * ys + 1 * L);
        a13.max(lo).intoArray(y, yo + 3 * ys + 1 * L);
        a14.max(lo).intoArray(y, yo + 4 * ys + 1 * L);
        a15.max(lo).intoArray(y, yo + 5 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a21.max(lo).intoArray(y, yo + 1 * ys + 2 * L);
        a22.max(lo).intoArray(y, yo + 2 * ys + 2 * L);
        a23.max(lo).intoArray(y, yo + 3 * ys + 2 * L);
        a24.max(lo).intoArray(y, yo + 4 * ys + 2 * L);
        a25.max(lo).intoArray(y, yo + 5 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
        a31.max(lo).intoArray(y, yo + 1 * ys + 3 * L);
        a32.max(lo).intoArray(y, yo + 2 * ys + 3 * L);
        a33.max(lo).intoArray(y, yo + 3 * ys + 3 * L);
        a34.max(lo).intoArray(y, yo + 4 * ys + 3 * L);
        a35.max(lo).intoArray(y, yo + 5 * ys + 3 * L);
    }

    /** 4 output vectors x 3 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x3(float[] x, int x0, int x1, int x2, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a01 = FloatVector.fromArray(S, b, bo + 1 * bs + 0 * L);
        FloatVector a02 = FloatVector.fromArray(S, b, bo + 2 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a11 = FloatVector.fromArray(S, b, bo + 1 * bs + 1 * L);
        FloatVector a12 = FloatVector.fromArray(S, b, bo + 2 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a21 = FloatVector.fromArray(S, b, bo + 1 * bs + 2 * L);
        FloatVector a22 = FloatVector.fromArray(S, b, bo + 2 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        FloatVector a31 = FloatVector.fromArray(S, b, bo + 1 * bs + 3 * L);
        FloatVector a32 = FloatVector.fromArray(S, b, bo + 2 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
            FloatVector i1 = FloatVector.broadcast(S, x[x1 + s]);
            a01 = w0.fma(i1, a01);
            a11 = w1.fma(i1, a11);
            a21 = w2.fma(i1, a21);
            a31 = w3.fma(i1, a31);
            FloatVector i2 = FloatVector.broadcast(S, x[x2 + s]);
            a02 = w0.fma(i2, a02);
            a12 = w1.fma(i2, a12);
            a22 = w2.fma(i2, a22);
            a32 = w3.fma(i2, a32);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a01.max(lo).intoArray(y, yo + 1 * ys + 0 * L);
        a02.max(lo).intoArray(y, yo + 2 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a11.max(lo).intoArray(y, yo + 1 * ys + 1 * L);
        a12.max(lo).intoArray(y, yo + 2 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a21.max(lo).intoArray(y, yo + 1 * ys + 2 * L);
        a22.max(lo).intoArray(y, yo + 2 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
        a31.max(lo).intoArray(y, yo + 1 * ys + 3 * L);
        a32.max(lo).intoArray(y, yo + 2 * ys + 3 * L);
    }

    /** 4 output vectors x 1 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x1(float[] x, int x0, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
    }
}
