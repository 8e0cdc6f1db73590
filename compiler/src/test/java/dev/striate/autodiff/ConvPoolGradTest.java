package dev.striate.autodiff;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import org.junit.jupiter.api.Test;

/** The inference-only fused conv + pool has no gradient rule, and says why. */
class ConvPoolGradTest {
    @Test
    void convPoolHasNoGradientRuleAndSaysItIsInferenceOnly() {
        ConvPool op = new ConvPool(new Conv2d(2, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.RELU),
                new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradRules.forOp(op));
        assertTrue(e.getMessage().contains("inference-only"), e.getMessage());
    }
}
