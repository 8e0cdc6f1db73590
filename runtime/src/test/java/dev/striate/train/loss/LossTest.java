package dev.striate.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.train.Loss;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the losses that do not need PyTorch: gradients by finite differences, stability, argument errors. */
class LossTest {
    private static final int N = 3;
    private static final int K = 4;

    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferencesForLabelsAndSoftTargets() {
        Random rnd = new Random(1);
        float[] z = randomLogits(rnd);
        checkFiniteDifferences(new SoftmaxCrossEntropy(), z, new int[] {0, 3, 2}, null);
        float[] soft = new float[N * K];
        for (int i = 0; i < N; i++) {
            float sum = 0;
            for (int j = 0; j < K; j++) {
                soft[i * K + j] = rnd.nextFloat();
                sum += soft[i * K + j];
            }
            for (int j = 0; j < K; j++) {
                soft[i * K + j] /= sum;
            }
        }
        checkFiniteDifferences(new SoftmaxCrossEntropy(), z, null, soft);
    }

    @Test
    void binaryCrossEntropyAndMseGradientsMatchFiniteDifferences() {
        Random rnd = new Random(2);
        float[] z = randomLogits(rnd);
        float[] t = new float[N * K];
        for (int i = 0; i < t.length; i++) {
            t[i] = rnd.nextFloat();
        }
        checkFiniteDifferences(new SigmoidBinaryCrossEntropy(), z, null, t);
        checkFiniteDifferences(new MeanSquaredError(), z, null, t);
        checkFiniteDifferences(new MeanSquaredError(), z, new int[] {1, 0, 3}, null);
    }

    @Test
    void labelsAndOneHotTargetsGiveTheSameCrossEntropy() {
        float[] z = randomLogits(new Random(3));
        int[] labels = {2, 0, 1};
        float[] oneHot = new float[N * K];
        for (int i = 0; i < N; i++) {
            oneHot[i * K + labels[i]] = 1;
        }
        float[] g1 = new float[N * K];
        float[] g2 = new float[N * K];
        double a = new SoftmaxCrossEntropy().forwardBackward(z, labels, null, N, K, g1);
        double b = new SoftmaxCrossEntropy().forwardBackward(z, null, oneHot, N, K, g2);
        assertEquals(a, b, 1e-12);
        for (int i = 0; i < N * K; i++) {
            assertEquals(g1[i], g2[i], 1e-7f);
        }
    }

    @Test
    void hugeLogitsStayFinite() {
        float[] z = {1e4f, -1e4f, 0, 3e38f, -3e38f, 1};
        float[] g = new float[6];
        double ce = new SoftmaxCrossEntropy().forwardBackward(z, new int[] {1, 1}, null, 2, 3, g);
        assertEquals((2e4 + 2 * (double) 3e38f) / 2, ce, 1e-12 * ce);
        assertFinite(g);
        assertEquals(0.5f, g[0], 1e-7f);
        assertEquals(-0.5f, g[1], 1e-7f);
        double bce = new SigmoidBinaryCrossEntropy().forwardBackward(z, null, new float[] {0, 1, 1, 0, 1, 1}, 2, 3, g);
        assertTrue(Double.isFinite(bce));
        assertFinite(g);
    }

    @Test
    void perfectPredictionsCostNothing() {
        float[] g = new float[2];
        assertEquals(0, new SoftmaxCrossEntropy().forwardBackward(new float[] {200, -200}, new int[] {0}, null, 1, 2, g), 0);
        assertEquals(0, new SigmoidBinaryCrossEntropy().forwardBackward(new float[] {800, -800}, null,
                new float[] {1, 0}, 1, 2, g), 0);
        assertEquals(0, new MeanSquaredError().forwardBackward(new float[] {0.5f, -2}, null, new float[] {0.5f, -2}, 2, 1, g), 0);
        assertEquals(0, g[0], 0);
    }

    @Test
    void binaryCrossEntropyTakesZeroOneLabelsWithOneOutput() {
        float[] z = {0.3f, -1.2f, 2};
        float[] g1 = new float[3];
        float[] g2 = new float[3];
        double a = new SigmoidBinaryCrossEntropy().forwardBackward(z, new int[] {1, 0, 1}, null, 3, 1, g1);
        double b = new SigmoidBinaryCrossEntropy().forwardBackward(z, null, new float[] {1, 0, 1}, 3, 1, g2);
        assertEquals(a, b, 0);
        assertEquals(g1[1], g2[1], 0);
        assertThrows(IllegalArgumentException.class,
                () -> new SigmoidBinaryCrossEntropy().forwardBackward(z, new int[] {2, 0, 1}, null, 3, 1, g1));
        assertThrows(IllegalArgumentException.class,
                () -> new SigmoidBinaryCrossEntropy().forwardBackward(z, new int[] {1}, null, 1, 3, g1));
    }

    @Test
    void badArgumentsAreRejectedWithExactMessages() {
        Loss ce = new SoftmaxCrossEntropy();
        float[] z = new float[6];
        float[] g = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.forwardBackward(z, new int[] {0, 3}, null, 2, 3, g));
        assertEquals("label 3 of sample 1 is not a class index in [0, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ce.forwardBackward(z, new int[] {0, 1}, z, 2, 3, g));
        assertEquals("give exactly one of targets (class indices) and dense targets", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ce.forwardBackward(z, null, null, 2, 3, g));
        assertEquals("give exactly one of targets (class indices) and dense targets", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ce.forwardBackward(z, new int[] {0}, null, 2, 3, g));
        assertEquals("targets must hold n = 2 labels, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ce.forwardBackward(z, new int[] {0, 1}, null, 3, 3, g));
        assertEquals("outputs must hold n*k = 9 values, got 6", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().forwardBackward(z, null, new float[5], 2, 3, g));
        assertEquals("dense targets must hold n*k = 6 values, got 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().forwardBackward(z, null, z, 2, 3, new float[2]));
        assertEquals("dOutputs must hold n*k = 6 values, got 2", e.getMessage());
    }

    @Test
    void lossesAreFoundByName() {
        assertInstanceOf(SoftmaxCrossEntropy.class, Losses.byName("crossentropy").orElseThrow());
        assertInstanceOf(SoftmaxCrossEntropy.class, Losses.byName("Sparse_Categorical_Crossentropy").orElseThrow());
        assertInstanceOf(SigmoidBinaryCrossEntropy.class, Losses.byName("binary_crossentropy").orElseThrow());
        assertInstanceOf(MeanSquaredError.class, Losses.byName("mse").orElseThrow());
        assertTrue(Losses.byName("hinge").isEmpty());
        for (String name : Losses.NAMES) {
            assertTrue(Losses.byName(name).isPresent(), name);
        }
    }

    private static float[] randomLogits(Random rnd) {
        float[] z = new float[N * K];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2 * rnd.nextGaussian());
        }
        return z;
    }

    /** Central differences with a float step (the loss reads floats) against the analytic gradient. */
    private static void checkFiniteDifferences(Loss loss, float[] z, int[] labels, float[] dense) {
        float[] grad = new float[z.length];
        loss.forwardBackward(z, labels, dense, N, K, grad);
        float[] scratch = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            float saved = z[i];
            float h = 1e-2f;
            z[i] = saved + h;
            double up = loss.forwardBackward(z, labels, dense, N, K, scratch);
            z[i] = saved - h;
            double down = loss.forwardBackward(z, labels, dense, N, K, scratch);
            z[i] = saved;
            double numeric = (up - down) / ((double) (saved + h) - (double) (saved - h));
            assertEquals(numeric, grad[i], 1e-4, "gradient " + i);
        }
    }

    private static void assertFinite(float[] values) {
        for (float v : values) {
            assertTrue(Float.isFinite(v), "not finite: " + v);
        }
    }
}
