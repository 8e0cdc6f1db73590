package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both {@link Gemm} kernels against a product computed in double, over shapes that exercise every
 * edge: rows and columns that do not fill a micro-tile, depths beyond one packed block
 * ({@link Gemm#KC}), transposed (strided) operands, offsets, accumulation, and C rows wider than n.
 */
class GemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {4, 16, 8}, {3, 5, 7}, {64, 121, 288}, {32, 9, 676}, {10, 64, 576}, {5, 17, 1030},
        {7, 33, 513}, {13, 8, 3}, {2, 40, 1},
        // tall transposed A (VectorGemm.multiplyTall): partial rows and panels, two blocks of depth
        {603, 40, 300}, {523, 20, 600},
    };

    @Test
    void theTestJvmRunsTheVectorKernel() {
        // surefire passes --add-modules jdk.incubator.vector (the root POM), as VectorRelaunch does for train
        assertEquals("vector", VectorModule.KERNEL);
    }

    @Test
    void vectorKernelMatchesDouble() {
        check(true);
    }

    @Test
    void scalarKernelMatchesDouble() {
        check(false);
    }

    @Test
    void kernelsAgreeClosely() {
        Random r = new Random(5);
        int m = 19, n = 37, k = 300;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        new Gemm(true).multiply(m, n, k, a, 0, k, 1, b, 0, n, 1, c1, 0, n, false);
        new Gemm(false).multiply(m, n, k, a, 0, k, 1, b, 0, n, 1, c2, 0, n, false);
        for (int i = 0; i < c1.length; i++) {
            assertEquals(c2[i], c1[i], 1e-4 * Math.max(1, Math.abs(c2[i])));
        }
    }

    /**
     * A tall transposed A (a convolution's {@code W^T}, 2,304 x 256, against 245 columns) runs A's
     * panels outside B's ({@code VectorGemm.multiplyTall}); each element of C must be the same bits as
     * when the same rows are multiplied in blocks short enough for the usual loop order.
     */
    @Test
    void tallProductsGiveTheBitsOfTheUsualLoopOrder() {
        Random r = new Random(17);
        int m = 2304, k = 256, n = 245;
        float[] w = random(r, k * m);      // W [k][m]: A = W^T, read with aRow 1, aCol m
        float[] b = random(r, k * n);
        float[] tall = new float[m * n];
        Gemm g = new Gemm(true);
        g.setA(m, k, w, 0, 1, m);
        g.multiplyByA(n, b, 0, n, 1, tall, 0, n, false);
        float[] blocks = new float[m * n];
        for (int i0 = 0; i0 < m; i0 += 96) {
            g.setA(96, k, w, i0, 1, m);
            g.multiplyByA(n, b, 0, n, 1, blocks, i0 * n, n, false);
        }
        assertTrue(96L * k <= VectorGemm.TALL_A_FLOATS, "the blocks take the usual loop order");
        assertArrayEquals(blocks, tall);
    }

    @Test
    void aPrepackedBGivesTheBitsOfBReadInPlace() {
        // Winograd's transformed weights are written in packB's layout and multiplied without packing
        Random r = new Random(23);
        for (int[] shape : new int[][] {{49, 128, 128}, {16, 256, 256}, {13, 70, 33}, {8, 600, 40}, {3, 5, 7}}) {
            int m = shape[0], k = shape[1], n = shape[2];
            int aRow = k + 3, bRow = n + 5, cRow = n + 1;
            float[] a = random(r, m * aRow + 2);
            float[] b = random(r, k * bRow);
            float[] inPlace = random(r, m * cRow + 4);
            float[] prepacked = inPlace.clone();
            Gemm g = new Gemm(true);
            g.setA(m, k, a, 2, aRow, 1);
            g.multiplyByA(n, b, 0, bRow, 1, inPlace, 4, cRow, true);
            float[] packed = new float[VectorGemm.packedSize(k, n) + 1];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    packed[1 + VectorGemm.packedIndex(k, n, p, j)] = b[p * bRow + j];
                }
            }
            VectorGemm.multiplyPrepacked(g, m, k, n, a, 2, aRow, packed, 1, prepacked, 4, cRow, true);
            assertArrayEquals(inPlace, prepacked, m + " x " + k + " x " + n);
        }
    }

    @Test
    void sharedOperandsServeSeveralProductsAndCoexist() {
        shared(true);
        shared(false);
    }

    private static void shared(boolean vector) {
        Random r = new Random(9);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            Gemm g = new Gemm(vector);
            float[] w = random(r, k * n);        // shared B, read transposed below
            float[] v = random(r, m * k);        // shared A
            g.setB(k, n, w, 0, 1, k);            // b(p, j) = w[p + j * k]
            g.setA(m, k, v, 0, k, 1);
            for (int round = 0; round < 2; round++) {
                float[] a = random(r, m * k);
                float[] c = new float[m * n];
                g.multiplyByB(m, a, 0, k, 1, c, 0, n, false);
                float[] b = random(r, k * n);
                float[] d = new float[m * n];
                g.multiplyByA(n, b, 0, n, 1, d, 0, n, false);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double want = 0, mag = 0, want2 = 0, mag2 = 0;
                        for (int p = 0; p < k; p++) {
                            want += (double) a[i * k + p] * w[p + j * k];
                            mag += Math.abs((double) a[i * k + p] * w[p + j * k]);
                            want2 += (double) v[i * k + p] * b[p * n + j];
                            mag2 += Math.abs((double) v[i * k + p] * b[p * n + j]);
                        }
                        assertTrue(Math.abs(c[i * n + j] - want) <= 1e-6 * mag + 1e-6, "shared B " + m + "x" + n + "x" + k);
                        assertTrue(Math.abs(d[i * n + j] - want2) <= 1e-6 * mag2 + 1e-6, "shared A " + m + "x" + n + "x" + k);
                    }
                }
            }
        }
    }

    @Test
    void emptyDepthClearsOrKeeps() {
        float[] c = {1, 2, 3, 4};
        new Gemm().multiply(2, 2, 0, new float[0], 0, 0, 0, new float[0], 0, 0, 0, c, 0, 2, true);
        assertEquals(3f, c[2]);
        new Gemm().multiply(2, 2, 0, new float[0], 0, 0, 0, new float[0], 0, 0, 0, c, 0, 2, false);
        assertEquals(0f, c[2]);
    }

    private static void check(boolean vector) {
        Random r = new Random(1);
        Gemm g = new Gemm(vector);
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean transA = (variant & 1) != 0;
                boolean transB = (variant & 2) != 0;
                boolean accumulate = variant == 3 || variant == 0 && m % 2 == 1;
                int aOff = 3, bOff = 5, cOff = 7, cRow = n + 2;
                float[] a = random(r, aOff + m * k);
                float[] b = random(r, bOff + k * n);
                float[] c = random(r, cOff + m * cRow);
                float[] before = c.clone();
                int aRow = transA ? 1 : k, aCol = transA ? m : 1;
                int bRow = transB ? 1 : n, bCol = transB ? k : 1;
                g.multiply(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < cRow; j++) {
                        int at = cOff + i * cRow + j;
                        if (j >= n) {
                            assertEquals(before[at], c[at], "outside C at " + i + "," + j);
                            continue;
                        }
                        double want = accumulate ? before[at] : 0;
                        double mag = Math.abs(want);
                        for (int p = 0; p < k; p++) {
                            double x = (double) a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                            want += x;
                            mag += Math.abs(x);
                        }
                        double err = Math.abs(c[at] - want);
                        String what = String.format("%s m=%d n=%d k=%d variant %d: C[%d][%d] = %s, want %s",
                                vector ? "vector" : "scalar", m, n, k, variant, i, j, c[at], want);
                        assertTrue(err <= 1e-6 * mag + 1e-6, what);
                    }
                }
                assertEquals(before[0], c[0], "before C");
            }
        }
    }

    @Test
    void reluKernelsEqualPlainLoops() {
        Random r = new Random(2);
        for (int len : new int[] {0, 1, 7, 8, 9, 33, 1000}) {
            float[] y = random(r, len + 3);
            y[1] = -0f;
            float[] dy = random(r, len + 3);
            float[] want = dy.clone();
            for (int i = 2; i < len + 2; i++) {
                want[i] = y[i] > 0f ? dy[i] : 0f;
            }
            VectorKernels.reluGrad(y, dy, 2, len + 2);
            assertArrayEquals(want, dy);
            float[] x = random(r, len + 3);
            float[] relu = x.clone();
            for (int i = 1; i < len + 1; i++) {
                relu[i] = Math.max(relu[i], 0f);
            }
            VectorKernels.relu(x, 1, len + 1);
            assertArrayEquals(relu, x);
            float[] dst = random(r, len + 5);
            float[] sum = dst.clone();
            for (int i = 0; i < len; i++) {
                sum[4 + i] += y[1 + i];
            }
            VectorKernels.addInto(y, 1, dst, 4, len);
            assertArrayEquals(sum, dst);
        }
    }

    @Test
    void tanhIsWithinFloatPrecisionOfMathTanh() {
        Random r = new Random(4);
        float[] x = new float[1003];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        x[0] = 0f;
        x[1] = 1e-6f;
        x[2] = -20f;
        x[3] = Float.NaN;
        float[] t = x.clone();
        Kernels.tanh(t, 0, t.length);
        assertTrue(Float.isNaN(t[3]));
        for (int i = 0; i < x.length; i++) {
            if (i != 3) {
                double want = Math.tanh(x[i]);
                assertEquals(want, t[i], 1e-7 * Math.abs(want) + 1e-30, "tanh(" + x[i] + ")");
            }
        }
    }

    @Test
    void elementWiseKernelsGiveTheSameBitsColdAndHot() {
        // the first calls run interpreted, the last ones compiled by C2: a seeded training run is
        // reproducible only if both round the same (the Vector API's TANH did not)
        Random r = new Random(6);
        float[] x = new float[257];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        float[] cold = x.clone();
        Kernels.tanh(cold, 0, cold.length);
        float[] coldRelu = x.clone();
        Kernels.relu(coldRelu, 0, coldRelu.length);
        float[] hot = null;
        float[] hotRelu = null;
        for (int round = 0; round < 20_000; round++) {
            hot = x.clone();
            Kernels.tanh(hot, 0, hot.length);
            hotRelu = x.clone();
            Kernels.relu(hotRelu, 0, hotRelu.length);
        }
        assertArrayEquals(cold, hot);
        assertArrayEquals(coldRelu, hotRelu);
    }

    @Test
    void biasGradientsSumEveryPlaneAndMaskLikeReluGrad() {
        Random r = new Random(7);
        // planes shorter than a vector, of whole vectors, and with tails; two samples of three channels
        for (int plane : new int[] {1, 9, 16, 64, 121, 676}) {
            int n = 2, channels = 3, size = channels * plane + 5;
            float[] y = random(r, n * size);
            float[] dz = random(r, n * size);
            float[] masked = dz.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] = y[i] > 0f ? masked[i] : 0f;
            }
            for (boolean relu : new boolean[] {false, true}) {
                float[] d = dz.clone();
                float[] bias = {0.5f, -1f, 2f};
                if (relu) {
                    Kernels.reluBiasGrad(y, d, n, size, channels, plane, bias);
                } else {
                    Kernels.biasGrad(d, n, size, channels, plane, bias);
                }
                float[] src = relu ? masked : dz;
                for (int c = 0; c < channels; c++) {
                    double want = new double[] {0.5, -1, 2}[c];
                    for (int s = 0; s < n; s++) {
                        for (int i = 0; i < plane; i++) {
                            want += src[s * size + c * plane + i];
                        }
                    }
                    assertEquals(want, bias[c], 1e-5, "plane " + plane + " channel " + c + (relu ? " relu" : ""));
                }
                for (int s = 0; s < n; s++) {
                    for (int i = 0; i < channels * plane; i++) {
                        assertEquals(src[s * size + i], d[s * size + i], "d z in place");
                    }
                }
            }
        }
    }

    @Test
    void biasGradientsAndDotProductsGiveTheSameBitsColdAndHot() {
        Random r = new Random(8);
        int n = 3, channels = 4, plane = 121, size = channels * plane;
        float[] y = random(r, n * size);
        float[] dz = random(r, n * size);
        float[] a = random(r, 32 * 676);
        float[] b = random(r, 9 * 676);
        float[] coldBias = new float[channels];
        float[] cold = dz.clone();
        Kernels.reluBiasGrad(y, cold, n, size, channels, plane, coldBias);
        float[] coldDots = new float[32 * 9];
        new Gemm().multiply(32, 9, 676, a, 0, 676, 1, b, 0, 1, 676, coldDots, 0, 9, false);
        float[] hotBias = null;
        float[] hotDots = null;
        Gemm g = new Gemm();
        for (int round = 0; round < 5_000; round++) {
            hotBias = new float[channels];
            Kernels.reluBiasGrad(y, dz.clone(), n, size, channels, plane, hotBias);
            hotDots = new float[32 * 9];
            g.multiply(32, 9, 676, a, 0, 676, 1, b, 0, 1, 676, hotDots, 0, 9, false);
        }
        assertArrayEquals(coldBias, hotBias);
        assertArrayEquals(coldDots, hotDots);
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }
}
