package dev.striate.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Defaults, argument checks and the exposed state of the optimizers. */
class OptimizerTest {
    @Test
    void defaultsArePyTorchs() {
        Adam adam = Adam.builder().build();
        assertEquals(0.001, adam.learningRate());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertFalse(adam.amsgrad());
        RmsProp rms = RmsProp.builder().build();
        assertEquals(0.01, rms.learningRate());
        assertEquals(0.99, rms.alpha());
        assertEquals(1e-8, rms.eps());
        assertEquals(0, rms.momentum());
        assertFalse(rms.centered());
        Adagrad ada = Adagrad.builder().build();
        assertEquals(0.01, ada.learningRate());
        assertEquals(0, ada.lrDecay());
        assertEquals(0, ada.initialAccumulatorValue());
        assertEquals(1e-10, ada.eps());
        Sgd sgd = Sgd.builder(0.1).build();
        assertEquals(0, sgd.momentum());
        assertEquals(0, sgd.dampening());
        assertFalse(sgd.nesterov());
        assertTrue(sgd.regularization().isNone());
    }

    @Test
    void stateNamesArePyTorchs() {
        assertEquals(List.of(), Sgd.builder(0.1).build().stateNames());
        assertEquals(List.of("momentum_buffer"), Sgd.builder(0.1).momentum(0.9).build().stateNames());
        assertEquals(List.of("sum"), Adagrad.builder().build().stateNames());
        assertEquals(List.of("square_avg", "momentum_buffer", "grad_avg"),
                RmsProp.builder().momentum(0.5).centered(true).build().stateNames());
        assertEquals(List.of("square_avg", "grad_avg"), RmsProp.builder().centered(true).build().stateNames());
        assertEquals(List.of("exp_avg", "exp_avg_sq"), Adam.builder().build().stateNames());
        assertEquals(List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"),
                Adam.builder().amsgrad(true).build().stateNames());
    }

    @Test
    void invalidHyperParametersAreRejectedWithPyTorchsMessages() {
        assertMessage("Invalid learning rate: -1.0", () -> Sgd.builder(-1).build());
        assertMessage("Invalid momentum value: -0.5", () -> Sgd.builder(0.1).momentum(-0.5).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening",
                () -> Sgd.builder(0.1).nesterov(true).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening",
                () -> Sgd.builder(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertMessage("Invalid beta parameter at index 0: 1.0", () -> Adam.builder().betas(1.0, 0.9).build());
        assertMessage("Invalid beta parameter at index 1: -0.1", () -> Adam.builder().betas(0.9, -0.1).build());
        assertMessage("Invalid epsilon value: -1.0", () -> RmsProp.builder().eps(-1).build());
        assertMessage("Invalid alpha value: -0.9", () -> RmsProp.builder().alpha(-0.9).build());
        assertMessage("Invalid lr_decay value: -0.1", () -> Adagrad.builder().lrDecay(-0.1).build());
        assertMessage("Invalid initial_accumulator_value value: -1.0",
                () -> Adagrad.builder().initialAccumulatorValue(-1).build());
        assertMessage("Invalid weight_decay value: -0.01", () -> new Regularization(-0.01, 0));
        assertMessage("Invalid l1 value: NaN", () -> new Regularization(0, Double.NaN));
        assertMessage("Invalid learning rate: NaN", () -> Adam.builder().build().setLearningRate(Double.NaN));
    }

    @Test
    void mismatchedArraysAreRejected() {
        Optimizer opt = Adam.builder().build();
        assertMessage("2 parameters but 1 gradients",
                () -> opt.step(new float[][] {new float[2], new float[3]}, new float[][] {new float[2]}));
        assertMessage("parameter 1 has 3 values but its gradient has 4",
                () -> opt.step(new float[][] {new float[2], new float[3]}, new float[][] {new float[2], new float[4]}));
        opt.step(new float[][] {new float[2]}, new float[][] {new float[2]});
        assertMessage("the optimizer holds state for 1 parameters, got 2",
                () -> opt.step(new float[][] {new float[2], new float[2]}, new float[][] {new float[2], new float[2]}));
        assertMessage("parameter 0 has 5 values but its optimizer state has 2",
                () -> opt.step(new float[][] {new float[5]}, new float[][] {new float[5]}));
        assertEquals(1, opt.steps());
    }

    @Test
    void stateIsAllocatedWithInitialValues() {
        Adagrad ada = Adagrad.builder().initialAccumulatorValue(0.25).build();
        assertThrows(IllegalStateException.class, () -> ada.state(0));
        ada.allocate(new int[] {3, 2});
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, ada.state(0)[0]);
        assertArrayEquals(new float[] {0.25f, 0.25f}, ada.state(1)[0]);
    }

    @Test
    void restoringStateContinuesExactlyLikeAnUninterruptedRun() {
        List<Supplier<Optimizer>> makers = List.of(
                () -> Sgd.builder(0.1).momentum(0.9).nesterov(true).build(),
                () -> Adagrad.builder().lrDecay(0.01).build(),
                () -> RmsProp.builder().momentum(0.5).centered(true).build(),
                () -> Adam.builder().amsgrad(true).regularization(new Regularization(0.01, 0.001)).build());
        for (Supplier<Optimizer> make : makers) {
            float[][] a = {{0.5f, -1f, 2f}, {0.25f}};
            Optimizer full = make.get();
            for (int s = 0; s < 5; s++) {
                full.step(a, grads(s));
            }
            float[][] b = {{0.5f, -1f, 2f}, {0.25f}};
            Optimizer first = make.get();
            for (int s = 0; s < 3; s++) {
                first.step(b, grads(s));
            }
            Optimizer resumed = make.get();
            resumed.allocate(new int[] {3, 1});
            for (int p = 0; p < 2; p++) {
                for (int k = 0; k < resumed.stateNames().size(); k++) {
                    float[] saved = first.state(p)[k];
                    System.arraycopy(saved, 0, resumed.state(p)[k], 0, saved.length);
                }
            }
            resumed.setSteps(first.steps());
            for (int s = 3; s < 5; s++) {
                resumed.step(b, grads(s));
            }
            assertArrayEquals(a[0], b[0], full.name());
            assertArrayEquals(a[1], b[1], full.name());
            assertEquals(5, resumed.steps());
        }
    }

    @Test
    void l1PullsWeightsTowardZeroAndLeavesZeroAlone() {
        Sgd sgd = Sgd.builder(1).regularization(new Regularization(0, 0.5)).build();
        float[][] w = {{2f, -2f, 0f}};
        sgd.step(w, new float[][] {{0f, 0f, 0f}});
        assertArrayEquals(new float[] {1.5f, -1.5f, 0f}, w[0]);
        Sgd l2 = Sgd.builder(1).regularization(Regularization.weightDecay(0.25)).build();
        float[][] v = {{2f, -4f}};
        l2.step(v, new float[][] {{0f, 0f}});
        assertArrayEquals(new float[] {1.5f, -3f}, v[0]);
    }

    @Test
    void learningRateChangesApplyToTheNextStep() {
        Sgd sgd = Sgd.builder(1).build();
        float[][] w = {{1f}};
        sgd.setLearningRate(0.5);
        sgd.step(w, new float[][] {{1f}});
        assertArrayEquals(new float[] {0.5f}, w[0]);
        assertEquals(0.5, sgd.learningRate());
    }

    private static float[][] grads(int step) {
        return new float[][] {{0.1f * (step + 1), -0.3f + step * 0.2f, 1f / (step + 2)}, {(step % 2 == 0 ? 1 : -1) * 0.7f}};
    }

    private static void assertMessage(String message, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(message, e.getMessage());
    }
}
