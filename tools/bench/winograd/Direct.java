import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The kernel-row direct convolution of {@code SimdKernels.convRows} (all vector groups of 4). */
final class Direct implements Conv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

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
        Layer.pad(x, l.h, l.w, l.c, xp, wp);
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
                    MicroKernels.rows4x6(xp, pix[p] + o, pix[p + 1] + o, pix[p + 2] + o, pix[p + 3] + o, pix[p + 4] + o,
                            pix[p + 5] + o, run, w, v * kl + r * run * L, kl, first ? b : y,
                            first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                            r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                }
            }
            for (; p + 3 <= pixels; p += 3) {
                for (int r = 0; r < 3; r++) {
                    int o = r * wp * l.c;
                    boolean first = r == 0;
                    MicroKernels.rows4x3(xp, pix[p] + o, pix[p + 1] + o, pix[p + 2] + o, run, w, v * kl + r * run * L, kl,
                            first ? b : y, first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                            r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                }
            }
            for (; p < pixels; p++) {
                for (int r = 0; r < 3; r++) {
                    int o = r * wp * l.c;
                    boolean first = r == 0;
                    MicroKernels.rows4x1(xp, pix[p] + o, run, w, v * kl + r * run * L, kl, first ? b : y,
                            first ? v * L : p * f + v * L, first ? 0 : f, y, p * f + v * L, f,
                            r == 2 ? 0f : Float.NEGATIVE_INFINITY);
                }
            }
        }
    }
}
