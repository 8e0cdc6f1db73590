package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels' summation orders, written out in scalar code: the kernels must give exactly
 * these bits (what a seeded run's reproducibility rests on), interpreted and compiled alike.
 */
class VectorKernelsTest {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void biasGradientsAreLaneSumsOverSamplesThenTheLanesThenTheTails() {
        Random r = new Random(11);
        for (int plane : new int[] {L, 3 * L + 5, 676, 121}) {
            int n = 5, channels = 3, size = channels * plane + 7;
            float[] y = new float[n * size];
            float[] dz = new float[n * size];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextFloat() - 0.5f;
                dz[i] = (float) r.nextGaussian() * (1 << r.nextInt(12));
            }
            for (boolean relu : new boolean[] {false, true}) {
                float[] want = laneOrder(relu ? y : null, dz.clone(), n, size, channels, plane);
                // the first calls run interpreted, the last ones compiled by C2: every one gives the same bits
                for (int round = 0; round < 3_000; round++) {
                    float[] got = {0.25f, -3f, 1e-3f};
                    VectorKernels.biasGrad(relu ? y : null, dz.clone(), n, size, channels, plane, got);
                    if (round % 500 == 0 || round == 2_999) {
                        for (int c = 0; c < channels; c++) {
                            assertEquals(Float.floatToIntBits(want[c]), Float.floatToIntBits(got[c]),
                                    "plane " + plane + " channel " + c + (relu ? " relu" : "") + " round " + round);
                        }
                    }
                }
            }
        }
    }

    /** The documented order: per lane over samples and whole vectors, the lanes in order, then the tails. */
    private static float[] laneOrder(float[] y, float[] dz, int n, int size, int channels, int plane) {
        float[] bias = {0.25f, -3f, 1e-3f};
        int body = plane / L * L;
        for (int c = 0; c < channels; c++) {
            float[] lane = new float[L];
            float tail = 0f;
            for (int s = 0; s < n; s++) {
                int o = s * size + c * plane;
                for (int i = 0; i < plane; i++) {
                    float d = y == null || y[o + i] > 0f ? dz[o + i] : 0f;
                    if (i < body) {
                        lane[i % L] += d;
                    } else {
                        tail += d;
                    }
                }
            }
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += lane[l];
            }
            bias[c] += sum + tail;
        }
        return bias;
    }
}
