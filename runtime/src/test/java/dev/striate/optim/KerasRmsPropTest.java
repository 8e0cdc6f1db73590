package dev.striate.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * RMSprop's Keras form against values computed independently (a Python script in double precision,
 * written from Keras 3's {@code RMSprop.update_step}: {@code v = rho v + (1 - rho) g^2},
 * {@code inc = lr g / sqrt(v + eps)} (centered: {@code sqrt(v - mg^2 + eps)}), momentum
 * {@code m = momentum m + inc}, {@code w -= m}; and from PyTorch's for the default form). Three steps
 * of gradients {@code [0.5, -0.25], [0.3, 0.1], [-0.2, 0.4]} on {@code w = [1, -2]}, lr 0.01, rho 0.9,
 * and a large eps 0.1 so that where it goes (inside or outside the root) shows.
 */
class KerasRmsPropTest {
    private static final float[][] GRADS = {{0.5f, -0.25f}, {0.3f, 0.1f}, {-0.2f, 0.4f}};

    private static float[] run(RmsProp.Builder b) {
        RmsProp o = b.lr(0.01).alpha(0.9).eps(0.1).build();
        float[] w = {1f, -2f};
        for (float[] g : GRADS) {
            o.step(new float[][] {w}, new float[][] {g.clone()});
        }
        return w;
    }

    private static void assertClose(double[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 2e-6, "element " + i);
        }
    }

    @Test
    void kerasFormPutsEpsilonInsideTheRoot() {
        assertClose(new double[] {0.983082488, -2.00684654}, run(RmsProp.builder().keras(true)));
    }

    @Test
    void kerasMomentumAccumulatesLearningRateScaledSteps() {
        assertClose(new double[] {0.968339431, -2.00262553}, run(RmsProp.builder().keras(true).momentum(0.5)));
    }

    @Test
    void kerasCenteredSubtractsTheSquaredMeanInsideTheRoot() {
        assertClose(new double[] {0.982803551, -2.00686514}, run(RmsProp.builder().keras(true).centered(true)));
    }

    @Test
    void defaultFormIsPyTorchsAndTfKeras2sWithoutMomentum() {
        RmsProp.Builder b = RmsProp.builder();
        assertClose(new double[] {0.976963612, -2.00766702}, run(b));
        assertClose(new double[] {0.957029393, -1.99995192}, run(RmsProp.builder().momentum(0.5)));
        assertFalse(RmsProp.builder().build().keras());
        assertTrue(RmsProp.builder().keras(true).build().keras());
    }
}
