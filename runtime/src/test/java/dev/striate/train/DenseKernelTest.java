package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#dense}: its vector kernel gives its plain loop's bits, and both are the sums of the double-precision
 * definition within float rounding, on sizes with inputs past the last four, columns past the last whole vector,
 * one sample, one column, and the Keras MNIST CNN's 576 -> 64 layer; the arrays end where the batch does. (That
 * these are the generated class's bits is {@code ClassForwardTest}'s, which compares the trainer with the class.)
 */
class DenseKernelTest {
    private static final int[][] SHAPES = {{3, 576, 64}, {5, 7, 10}, {2, 13, 33}, {1, 4, 1}, {4, 3, 17}, {6, 130, 128},
        {1, 1, 40}};

    @Test
    void vectorAndPlainGiveTheSameBitsAndTheDefinitionsSums() {
        Random r = new Random(11);
        for (int[] shape : SHAPES) {
            int n = shape[0];
            int in = shape[1];
            int units = shape[2];
            float[] x = gaussian(r, n * in);
            float[] w = gaussian(r, in * units);
            float[] start = gaussian(r, n * units);
            float[] plain = start.clone();
            float[] vector = start.clone();
            Kernels.densePlain(x, n, in, w, units, plain);
            VectorKernels.dense(x, n, in, w, units, vector);
            String what = Arrays.toString(shape);
            for (int i = 0; i < plain.length; i++) {
                assertEquals(Float.floatToIntBits(plain[i]), Float.floatToIntBits(vector[i]), what + " output " + i);
            }
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < units; j++) {
                    double sum = start[s * units + j];
                    double size = Math.abs(sum);
                    for (int i = 0; i < in; i++) {
                        double p = (double) x[s * in + i] * w[i * units + j];
                        sum += p;
                        size += Math.abs(p);
                    }
                    double err = Math.abs(plain[s * units + j] - sum);
                    assertTrue(err <= 1e-6 * size * (in + 1), what + " sample " + s + " column " + j + ": " + plain[s * units + j]
                            + " against " + sum);
                }
            }
        }
    }

    @Test
    void nothingHappensWithoutSamples() {
        float[] z = {1f, 2f};
        Kernels.dense(new float[0], 0, 3, new float[6], 2, z);
        assertEquals(1f, z[0]);
        assertEquals(2f, z[1]);
    }

    private static float[] gaussian(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
