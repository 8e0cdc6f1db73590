package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#maxPool2x2} (its vector kernel and its plain loop) and
 * {@link Kernels#maxPool2x2Backward} against the definitions: each 2x2 window's maximum
 * ({@code +0} above {@code -0}, NaN when a cell is NaN) and argmax (the first cell in row order
 * equal to it, else the last NaN, as PyTorch), on values drawn from a few numbers so that windows
 * tie, over sizes whose rows take whole vector steps, tails and windows cut off by odd sizes, with
 * arrays that end where the last sample does.
 */
class MaxPoolKernelsTest {
    private static final int[][] SHAPES = {{32, 26, 26}, {64, 11, 11}, {3, 5, 7}, {2, 2, 2}, {5, 34, 34}, {1, 3, 40}, {4, 9, 64}};
    private static final float[] VALUES = {-1f, 0f, -0f, 1f, 2f, 0.5f, 2f, 1f};

    private static float[] input(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextInt(60) == 0 ? Float.NaN : VALUES[r.nextInt(VALUES.length)];
        }
        return x;
    }

    /** The window's cells in row order, their maximum's bits and its argmax, from the definitions. */
    private static void expected(float[] x, int i, int width, float[] value, int[] at, int o) {
        int[] cells = {i, i + 1, i + width, i + width + 1};
        int nan = -1;
        for (int cell : cells) {
            if (Float.isNaN(x[cell])) {
                nan = cell;
            }
        }
        if (nan >= 0) {
            value[o] = Float.NaN;
            at[o] = nan;
            return;
        }
        float best = x[cells[0]];
        for (int cell : cells) {
            float v = x[cell];
            if (v > best || (v == best && Float.floatToIntBits(v) == 0)) {
                best = v;
            }
        }
        value[o] = best;
        for (int k = cells.length - 1; k >= 0; k--) {
            if (x[cells[k]] == best) {
                at[o] = cells[k];
            }
        }
    }

    private static void check(String what, float[] wantValue, int[] wantAt, float[] value, int[] at) {
        for (int o = 0; o < wantValue.length; o++) {
            assertEquals(Float.floatToIntBits(wantValue[o]), Float.floatToIntBits(value[o]), what + " value " + o);
            assertEquals(wantAt[o], at[o], what + " argmax " + o);
        }
    }

    @Test
    void theMaximaAndArgmaxAreTheDefinitionsOnBothKernelsInterpretedAndCompiled() {
        Random r = new Random(5);
        int n = 3;
        for (int round = 0; round < 1_500; round++) {
            for (int[] s : SHAPES) {
                int c = s[0];
                int h = s[1];
                int w = s[2];
                int oh = h / 2;
                int ow = w / 2;
                float[] x = input(r, n * c * h * w);
                float[] wantValue = new float[n * c * oh * ow];
                int[] wantAt = new int[wantValue.length];
                boolean last = round % 300 == 0 || round == 1_499;
                if (last) {
                    for (int q = 0; q < n; q++) {
                        for (int ch = 0; ch < c; ch++) {
                            for (int oy = 0; oy < oh; oy++) {
                                for (int ox = 0; ox < ow; ox++) {
                                    expected(x, ((q * c + ch) * h + 2 * oy) * w + 2 * ox, w, wantValue, wantAt,
                                            ((q * c + ch) * oh + oy) * ow + ox);
                                }
                            }
                        }
                    }
                }
                float[] vector = new float[wantValue.length];
                float[] plain = new float[wantValue.length];
                int[] vectorAt = new int[wantValue.length];
                int[] plainAt = new int[wantValue.length];
                for (int q = 0; q < n; q++) {
                    VectorKernels.maxPool2x2(x, vector, vectorAt, q * c * h * w, q * c * oh * ow, c, h, w);
                    Kernels.maxPool2x2Plain(x, plain, plainAt, q * c * h * w, q * c * oh * ow, c, h, w);
                }
                if (last) {
                    String shape = Arrays.toString(s) + " round " + round;
                    check("vector " + shape, wantValue, wantAt, vector, vectorAt);
                    check("plain " + shape, wantValue, wantAt, plain, plainAt);
                }
            }
        }
    }

    @Test
    void theBackwardPassWritesTheWholeGradientMaskedWhereTheOutputIsNotPositive() {
        Random r = new Random(9);
        int n = 2;
        for (int[] s : SHAPES) {
            int c = s[0];
            int h = s[1];
            int w = s[2];
            float[] x = input(r, n * c * h * w);
            int outs = n * c * (h / 2) * (w / 2);
            float[] y = new float[outs];
            int[] arg = new int[outs];
            for (int q = 0; q < n; q++) {
                Kernels.maxPool2x2Plain(x, y, arg, q * c * h * w, q * c * (h / 2) * (w / 2), c, h, w);
            }
            float[] dy = new float[outs];
            for (int o = 0; o < outs; o++) {
                dy[o] = r.nextInt(8) == 0 ? -0f : (float) r.nextGaussian();
            }
            float[] want = new float[x.length];
            int routed = 0;
            for (int o = 0; o < outs; o++) {
                want[arg[o]] = y[o] > 0f ? 0f + dy[o] : 0f;
                routed += y[o] > 0f && dy[o] != 0f ? 1 : 0;
            }
            assertTrue(routed > outs / 4, "enough positive windows: " + routed + " of " + outs);
            float[] dx = new float[x.length];
            Arrays.fill(dx, Float.NaN);
            Kernels.maxPool2x2Backward(dy, y, arg, dx, n, c, h, w);
            for (int i = 0; i < dx.length; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(dx[i]), Arrays.toString(s) + " cell " + i);
            }
        }
    }
}
