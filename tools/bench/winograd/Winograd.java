import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;


/**
 * Winograd F(m x m, 3x3), m = 2, 3 or 4: input transform, a*a GEMMs, output transform with bias and ReLU. With
 * {@code alt}, F(4) uses the points 0, 1, -1, 1/2, -2 (transforms {@link #bt4b}, {@link #at4b}, G from
 * {@link #cookToom}) instead of Lavin's 0, 1, -1, 2, -2.
 */
final class Winograd implements Conv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

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
    /** CPU ns spent in input transform (with padding), GEMMs, output transform, while {@link #WinogradProbe.PHASES}. */
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
        double[][] g = m == 3 ? PointSets.cookToom(3, POINTS_3)[1] : alt ? PointSets.cookToom(4, POINTS_4B)[1] : m == 2 ? G2 : G4;
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
        Layer.pad(x, l.h, l.w, c, xp, wp);
        long t0 = WinogradProbe.PHASES ? WinogradProbe.cpu() : 0;
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
        long t1 = WinogradProbe.PHASES ? WinogradProbe.cpu() : 0;
        for (int xi = 0; xi < a * a; xi++) {
            gemm(v, xi * vs, tiles, c, u, xi * c * f, zero, mm, xi * tiles * f, f);
        }
        long t2 = WinogradProbe.PHASES ? WinogradProbe.cpu() : 0;
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
        if (WinogradProbe.PHASES) {
            long t3 = WinogradProbe.cpu();
            phase[0] += t1 - t0;
            phase[1] += t2 - t1;
            phase[2] += t3 - t2;
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
                MicroKernels.rows4x6(v, x0, x0 + c, x0 + 2 * c, x0 + 3 * c, x0 + 4 * c, x0 + 5 * c, c, u, wo, kl, zero, 0, 0, m,
                        mo + t * f + g * L, f, ninf);
            }
            for (; t + 3 <= tiles; t += 3) {
                int x0 = vo + t * c;
                MicroKernels.rows4x3(v, x0, x0 + c, x0 + 2 * c, c, u, wo, kl, zero, 0, 0, m, mo + t * f + g * L, f, ninf);
            }
            for (; t < tiles; t++) {
                MicroKernels.rows4x1(v, vo + t * c, c, u, wo, kl, zero, 0, 0, m, mo + t * f + g * L, f, ninf);
            }
        }
    }


    static final double[][] G2 = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    static final double[][] G4 = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};

    /** The finite points of the alternative F(4x4,3x3) (the others: F(2) 0, 1, -1; Lavin's F(4) 0, +-1, +-2). */
    static final double[] POINTS_4B = {0, 1, -1, 0.5, -2};
    /** The finite points of the F(3x3,3x3) measured. */
    static final double[] POINTS_3 = {0, 1, -1, 0.5};

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

    /** B^T d of F(3,3) with the points 0, 1, -1, 1/2 (rows of {@code PointSets.cookToom(3, POINTS_3)[2]}): 5 in, 5 out. */
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

    /** B^T d of F(4,3) with the points 0, 1, -1, 1/2, -2 (rows of {@code PointSets.cookToom(4, POINTS_4B)[2]}, left to right). */
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
}
