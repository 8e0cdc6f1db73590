package dev.striate.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightInitTest {
    private static final int[] CONV = {64, 32, 3, 3}; // fan_in 288, fan_out 576, 18,432 values
    private static final int[] DENSE = {100, 400};    // fan_in 400, fan_out 100

    @Test
    void fansFollowPyTorch() {
        assertEquals(32 * 9, WeightInit.fanIn(CONV));
        assertEquals(64 * 9, WeightInit.fanOut(CONV));
        assertEquals(400, WeightInit.fanIn(DENSE));
        assertEquals(100, WeightInit.fanOut(DENSE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightInit.fanIn(new int[] {5}));
        assertEquals("fan in and fan out need a tensor of at least 2 dimensions, got 1", e.getMessage());
    }

    @Test
    void boundsAreTheDocumentedFormulas() {
        assertEquals(Math.sqrt(6.0 / 288), WeightInit.heBound(CONV), 0);
        assertEquals(Math.sqrt(6.0 / (288 + 576)), WeightInit.glorotBound(CONV), 0);
        assertEquals(0.1224744871391589, WeightInit.heBound(DENSE), 1e-15); // sqrt(6/400)
        assertEquals(0.1095445115010332, WeightInit.glorotBound(DENSE), 1e-15); // sqrt(6/500)
    }

    @Test
    void heUniformStaysInBoundsWithUniformStatistics() {
        float[] w = new float[size(CONV)];
        WeightInit.heUniform(w, CONV, new SplittableRandom(1));
        checkUniform(w, WeightInit.heBound(CONV));
    }

    @Test
    void glorotUniformStaysInBoundsWithUniformStatistics() {
        float[] w = new float[size(DENSE)];
        WeightInit.glorotUniform(w, DENSE, new SplittableRandom(2));
        checkUniform(w, WeightInit.glorotBound(DENSE));
    }

    /** Within [-a, a], mean ~0, variance ~a^2/3, and both ends of the range are reached. */
    private static void checkUniform(float[] w, double a) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : w) {
            assertTrue(Math.abs(v) <= (float) a, v + " out of +-" + a);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] mv = meanVariance(w);
        double var = a * a / 3;
        // Standard error of the mean is sqrt(var/n); allow 5 of them. Variance within 5%.
        assertEquals(0, mv[0], 5 * Math.sqrt(var / w.length), "mean");
        assertEquals(var, mv[1], 0.05 * var, "variance");
        assertTrue(min < -0.99 * a && max > 0.99 * a, "covers the range: " + min + ".." + max);
    }

    @Test
    void heNormalHasVarianceTwoOverFanIn() {
        float[] w = new float[size(CONV)];
        WeightInit.heNormal(w, CONV, new SplittableRandom(3));
        checkNormal(w, 2.0 / 288);
    }

    @Test
    void glorotNormalHasVarianceTwoOverFanSum() {
        float[] w = new float[size(DENSE) + 1]; // odd length: the last Box-Muller pair is half used
        WeightInit.glorotNormal(w, DENSE, new SplittableRandom(4));
        checkNormal(w, 2.0 / 500);
    }

    private static void checkNormal(float[] w, double var) {
        double[] mv = meanVariance(w);
        assertEquals(0, mv[0], 5 * Math.sqrt(var / w.length), "mean");
        assertEquals(var, mv[1], 0.05 * var, "variance");
        int within1 = 0;
        for (float v : w) {
            assertTrue(Float.isFinite(v));
            if (Math.abs(v) <= Math.sqrt(var)) {
                within1++;
            }
        }
        assertEquals(0.6827, (double) within1 / w.length, 0.02, "share within one standard deviation");
    }

    @Test
    void sameSeedSameValuesOtherSeedOtherValues() {
        float[] a = new float[1000];
        float[] b = new float[1000];
        float[] c = new float[1000];
        WeightInit.heNormal(a, DENSE, new SplittableRandom(42));
        WeightInit.heNormal(b, DENSE, new SplittableRandom(42));
        WeightInit.heNormal(c, DENSE, new SplittableRandom(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void streamsDependOnSeedAndNameOnly() {
        assertEquals(WeightInit.stream(7, "conv2d_1.weight").nextLong(), WeightInit.stream(7, "conv2d_1.weight").nextLong());
        long base = WeightInit.stream(7, "conv2d_1.weight").nextLong();
        assertTrue(base != WeightInit.stream(8, "conv2d_1.weight").nextLong());
        assertTrue(base != WeightInit.stream(7, "conv2d_2.weight").nextLong());
    }

    @Test
    void uniformAndNormalOutputsArePinned() {
        // Pins the algorithms: changing them would silently change every `striate init` file.
        // SplittableRandom's sequence is specified by the JDK; for seed 0 its first doubles are
        // 0.8833108..., 0.4315280..., 0.0264338... The expected values were worked out from those
        // by hand: uniform(bound 1) = -1 + 2u; normal = Box-Muller on (1 - u1, u2):
        // sqrt(-2 ln 0.1166892) * cos(2 pi 0.431528) = -1.88391.
        float[] u = new float[3];
        WeightInit.uniform(u, 1.0, new SplittableRandom(0));
        assertArrayEquals(new float[] {0.7666216f, -0.13694401f, -0.94713247f}, u);
        float[] n = new float[4];
        WeightInit.normal(n, 1.0, new SplittableRandom(0));
        assertArrayEquals(new float[] {-1.8839084f, 0.86450684f, 0.22760794f, -0.042112686f}, n);
    }

    private static int size(int[] shape) {
        return Arrays.stream(shape).reduce(1, (x, y) -> x * y);
    }

    private static double[] meanVariance(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += v;
        }
        double mean = sum / w.length;
        double sq = 0;
        for (float v : w) {
            sq += (v - mean) * (v - mean);
        }
        return new double[] {mean, sq / w.length};
    }
}
