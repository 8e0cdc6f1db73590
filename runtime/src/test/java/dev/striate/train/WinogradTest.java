package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The trainer's Winograd F(2x2,3x3) against a direct convolution in double precision: the forward pass
 * (with bias, the output overwritten), the input gradient and the weight gradient (added to what the
 * gradients hold), on both
 * kernels of {@link Gemm}, for paddings 0 and 1 on each side, odd and even maps, channel counts that fill
 * no whole panel, and enough samples that a batch takes several passes. Also: a sample's result does not
 * depend on the samples beside it (bit for bit), which the trainer's "8 threads = sequential" needs.
 */
class WinogradTest {

    @ParameterizedTest(name = "{0}x{1} {2}->{3} channels, pad {5}/{6}, {4} samples, vector {7}")
    @CsvSource({
            "14, 14, 9, 12, 3, 1, 1, true", "14, 14, 9, 12, 3, 1, 1, false",
            "7, 7, 16, 24, 9, 1, 1, true", "7, 7, 16, 24, 9, 1, 1, false",
            "13, 11, 5, 7, 2, 0, 0, true", "13, 11, 5, 7, 2, 0, 0, false",
            "12, 9, 6, 10, 4, 1, 0, true", "12, 9, 6, 10, 4, 0, 1, false",
            "40, 37, 3, 9, 2, 1, 1, true", "3, 3, 8, 8, 5, 1, 1, true",
            "4, 4, 8, 8, 3, 0, 0, false", "50, 46, 3, 9, 1, 1, 1, true"})
    void matchesDirectConvolution(int h, int w, int c, int f, int n, int padTop, int padLeft, boolean vector) {
        if (vector && !VectorModule.loaded()) {
            return; // the vector kernel is covered where the module is (surefire adds it)
        }
        // bottom/right padding: the same as top/left except for the odd cases, which leave one off
        int oh = h + 2 * padTop - 2 - (h % 2 == 1 && padTop == 1 ? 1 : 0);
        int ow = w + 2 * padLeft - 2;
        assertTrue(Winograd.supports(3, 3, 1, 1, 1, 1, 1, h, w, oh, ow, padTop, padLeft));
        Random r = new Random(h * 31 + c * 7 + f);
        float[] x = random(r, n * c * h * w);
        float[] wt = random(r, f * c * 9);
        float[] bias = random(r, f);
        float[] dz = random(r, n * f * oh * ow);
        Gemm gemm = new Gemm(vector);

        float[] y = new float[n * f * oh * ow];
        Arrays.fill(y, Float.NaN); // overwritten, never read
        Winograd.forward(gemm, wt, bias, x, y, n, c, h, w, f, oh, ow, padTop, padLeft);
        double[] want = new double[y.length];
        double[] gxWant = new double[n * c * h * w];
        float[] dw = random(r, f * c * 9);
        double[] dwWant = new double[dw.length];
        for (int i = 0; i < dw.length; i++) {
            dwWant[i] = dw[i];
        }
        float[] gx = random(r, n * c * h * w);
        for (int i = 0; i < gx.length; i++) {
            gxWant[i] = gx[i];
        }
        for (int s = 0; s < n; s++) {
            for (int fo = 0; fo < f; fo++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int at = ((s * f + fo) * oh + oy) * ow + ox;
                        double sum = bias[fo];
                        for (int ci = 0; ci < c; ci++) {
                            for (int ky = 0; ky < 3; ky++) {
                                for (int kx = 0; kx < 3; kx++) {
                                    int iy = oy - padTop + ky;
                                    int ix = ox - padLeft + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    int xi = ((s * c + ci) * h + iy) * w + ix;
                                    int wi = ((fo * c + ci) * 3 + ky) * 3 + kx;
                                    double wv = wt[wi];
                                    dwWant[wi] += (double) x[xi] * dz[at];
                                    sum += wv * x[xi];
                                    gxWant[xi] += wv * dz[at];
                                }
                            }
                        }
                        want[at] = sum;
                    }
                }
            }
        }
        assertClose(want, y, c * 9, "forward");
        Winograd.inputGradient(gemm, wt, dz, gx, n, c, h, w, f, oh, ow, padTop, padLeft);
        assertClose(gxWant, gx, f * 9, "input gradient");
        Winograd.weightGradient(gemm, x, dz, dw, n, c, h, w, f, oh, ow, padTop, padLeft);
        assertClose(dwWant, dw, n * oh * ow, "weight gradient");
    }

    @Test
    void aSampleGivesTheSameBitsAloneAsInABatch() {
        for (boolean vector : new boolean[] {true, false}) {
            if (vector && !VectorModule.loaded()) {
                continue;
            }
            int n = 7;
            int c = 24;
            int f = 40;
            int h = 10; // 25 tiles: 10 samples a pass, so 7 take one pass; 3 at a time take three
            Random r = new Random(5);
            float[] x = random(r, n * c * h * h);
            float[] wt = random(r, f * c * 9);
            float[] dz = random(r, n * f * h * h);
            float[] all = new float[n * f * h * h];
            float[] gxAll = new float[n * c * h * h];
            Gemm gemm = new Gemm(vector);
            Winograd.forward(gemm, wt, null, x, all, n, c, h, h, f, h, h, 1, 1);
            Winograd.inputGradient(gemm, wt, dz, gxAll, n, c, h, h, f, h, h, 1, 1);
            for (int s = 0; s < n; s++) {
                float[] one = new float[f * h * h];
                float[] gxOne = new float[c * h * h];
                Winograd.forward(new Gemm(vector), wt, null, Arrays.copyOfRange(x, s * c * h * h, (s + 1) * c * h * h), one,
                        1, c, h, h, f, h, h, 1, 1);
                Winograd.inputGradient(new Gemm(vector), wt, Arrays.copyOfRange(dz, s * f * h * h, (s + 1) * f * h * h),
                        gxOne, 1, c, h, h, f, h, h, 1, 1);
                assertArrayEquals(Arrays.copyOfRange(all, s * f * h * h, (s + 1) * f * h * h), one, "sample " + s);
                assertArrayEquals(Arrays.copyOfRange(gxAll, s * c * h * h, (s + 1) * c * h * h), gxOne, "sample " + s);
            }
        }
    }

    /**
     * The vector transforms ({@link VectorWinograd}: weights, output gradient, input tiles, output tiles) give the
     * plain loops' bits, -0, infinities and NaN included (any NaN
     * counts as NaN: Java leaves a NaN's sign and payload to the hardware and the operand order): channel counts
     * of whole vectors and a remainder, an odd map (edge tiles with taps past the edge).
     */
    @Test
    void vectorTransformsGiveThePlainLoopsBits() {
        if (!VectorModule.loaded()) {
            return;
        }
        Random r = new Random(11);
        for (int[] shape : new int[][] {{24, 40}, {16, 32}, {7, 5}, {64, 3}}) {
            int c = shape[0];
            int f = shape[1];
            float[] wt = special(r, f * c * 9);
            for (boolean turned : new boolean[] {false, true}) {
                Gemm vector = new Gemm(true);
                Gemm plain = new Gemm(false);
                WinogradTransforms.transformWeights(vector, wt, f, c, turned);
                WinogradTransforms.transformWeights(plain, wt, f, c, turned);
                int outs = turned ? c : f;
                int ins = turned ? f : c;
                int vStep = WinogradTransforms.uStep(vector, ins, outs);
                int pStep = WinogradTransforms.uStep(plain, ins, outs);
                int uRow = WinogradTransforms.stride(outs);
                for (int xi = 0; xi < 16; xi++) {
                    for (int i = 0; i < ins; i++) {
                        for (int o = 0; o < outs; o++) {
                            float want = plain.winoU[xi * pStep + i * uRow + o];
                            float got = vector.winoU[xi * vStep + VectorGemm.packedIndex(ins, outs, i, o)];
                            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got),
                                    c + "->" + f + " turned " + turned + " U[" + xi + "][" + i + "][" + o + "]");
                        }
                    }
                }
            }
            int oh = 7;
            int ow = 5;
            int th = 4;
            int tw = 3;
            float[] dz = special(r, 2 * f * oh * ow);
            int ld = WinogradTransforms.stride(f);
            int step = th * tw * ld + 16;
            float[] mv = new float[16 * step];
            float[] mp = new float[16 * step];
            WinogradTransforms.transformGradient(new Gemm(true), dz, f * oh * ow, f, oh, ow, th, tw, mv, 0, ld, step);
            WinogradTransforms.transformGradient(new Gemm(false), dz, f * oh * ow, f, oh, ow, th, tw, mp, 0, ld, step);
            for (int i = 0; i < mv.length; i++) {
                assertEquals(Float.floatToIntBits(mp[i]), Float.floatToIntBits(mv[i]), f + " channels: dM at " + i);
            }
            // V = B^T d B of an odd map's tiles, and Y = A^T M A plus the bias
            float[] x = special(r, 2 * c * oh * ow);
            int vRow = WinogradTransforms.stride(c);
            int vStep = WinogradTransforms.apart(th * tw * vRow);
            Gemm[] both = {new Gemm(true), new Gemm(false)};
            for (Gemm g : both) {
                WinogradTransforms.inputBuffers(g, c, th, tw, vStep);
                WinogradTransforms.transformInput(g, x, 1, 0, c, oh, ow, th, tw, 1, 1, vRow, vStep);
            }
            for (int i = 0; i < 16 * vStep; i++) {
                assertEquals(Float.floatToIntBits(both[1].winoV[i]), Float.floatToIntBits(both[0].winoV[i]), c + " channels: V at " + i);
            }
            float[] bias = special(r, f);
            float[] yv = new float[4 * th * tw * f];
            float[] yp = new float[4 * th * tw * f];
            // the vector form works in place in M: each form on its own copy
            WinogradTransforms.transformOutput(mp.clone(), 0, ld, step, th, tw, f, bias, yv, true);
            WinogradTransforms.transformOutput(mp.clone(), 0, ld, step, th, tw, f, bias, yp, false);
            for (int i = 0; i < yv.length; i++) {
                assertEquals(Float.floatToIntBits(yp[i]), Float.floatToIntBits(yv[i]), f + " channels: Y at " + i);
            }
        }
    }

    /**
     * Random values over many magnitudes (so that sums in another order round differently: {@link #random}'s values lie
     * on a grid of 2^-23, where most sums of three are exact), with -0, infinities and NaN among them.
     */
    private static float[] special(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(24) - 12));
        }
        float[] odd = {-0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < size; i += 1 + r.nextInt(7)) {
            a[i] = odd[r.nextInt(odd.length)];
        }
        return a;
    }

    @Test
    void takesOnlyThreeByThreeStrideOneWithPaddingUpToOne() {
        assertTrue(Winograd.supports(3, 3, 1, 1, 1, 1, 1, 14, 14, 14, 14, 1, 1));
        assertTrue(Winograd.supports(3, 3, 1, 1, 1, 1, 1, 14, 14, 12, 12, 0, 0));
        assertFalse(Winograd.supports(3, 3, 2, 2, 1, 1, 1, 14, 14, 7, 7, 1, 1), "stride 2");
        assertFalse(Winograd.supports(3, 3, 1, 1, 2, 2, 1, 14, 14, 14, 14, 2, 2), "dilation");
        assertFalse(Winograd.supports(3, 3, 1, 1, 1, 1, 2, 14, 14, 14, 14, 1, 1), "groups");
        assertFalse(Winograd.supports(5, 5, 1, 1, 1, 1, 1, 14, 14, 14, 14, 2, 2), "5x5");
        assertFalse(Winograd.supports(3, 3, 1, 1, 1, 1, 1, 14, 14, 16, 16, 2, 2), "padding 2");
        assertFalse(Winograd.supports(3, 3, 1, 1, 1, 1, 1, 14, 14, 15, 14, 1, 1), "bottom padding 2");
    }

    @Test
    void hugeOrWrappingShapesFallBackToTheUnfoldedProduct() {
        assertTrue(Winograd.chosen(3, 3, 1, 1, 1, 1, 1, 256, 7, 7, 256, 7, 7, 1, 1), "the Fashion CNN's 7x7 layer");
        assertFalse(Winograd.chosen(3, 3, 1, 1, 1, 1, 1, 4096, 2048, 2048, 4096, 2048, 2048, 1, 1),
                "buffers beyond the bound");
        int big = Integer.MAX_VALUE - 8; // c + 32 wraps in int
        assertFalse(Winograd.chosen(3, 3, 1, 1, 1, 1, 1, big, 8, 8, big, 8, 8, 1, 1), "channel counts near 2^31");
        assertFalse(Winograd.chosen(3, 3, 1, 1, 1, 1, 1, 64, big, big, 64, big, big, 1, 1), "maps near 2^31");
    }

    /**
     * Within float rounding of the double result: the error bound of a sum of {@code terms} products of
     * values below 1, scaled by the Winograd transforms' growth (up to 4x per side for F(2x2,3x3)).
     */
    private static void assertClose(double[] want, float[] got, int terms, String what) {
        double tol = 4 * terms * Math.ulp(1f) * 4;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            if (!(err <= tol)) {
                assertEquals(want[i], got[i], tol, what + " at " + i);
            }
        }
    }

    private static float[] random(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }
}
