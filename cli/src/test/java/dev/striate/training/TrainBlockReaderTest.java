package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Augmentation;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.optim.Adam;
import dev.striate.passes.InitWeights;
import dev.striate.optim.RmsProp;
import dev.striate.optim.Sgd;
import dev.striate.optim.schedule.CosineSchedule;
import dev.striate.optim.schedule.LinearSchedule;
import dev.striate.optim.schedule.StepSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every train block setting, and every error at its {@code file:line:col}. */
class TrainBlockReaderTest {
    private static final String MODEL = "model M {\n    input x: [1, 4, 4]\n    flatten\n    dense(2, activation=softmax)\n}\n";

    /** The train block of a file whose block body (line 7 on) is {@code body}. */
    private static TrainDecl block(String body) {
        return Frontend.parse(MODEL + "\ntrain M {\n" + body + "\n}\n", "m.cnn").train("M").orElseThrow();
    }

    private static TrainSettings read(String body) {
        return TrainBlockReader.read(block(body));
    }

    private static List<String> errors(String body) {
        CompileException e = assertThrows(CompileException.class, () -> read(body));
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void noBlockGivesTheDefaults() {
        TrainSettings s = TrainBlockReader.read(null);
        assertEquals(TrainSettings.DEFAULTS, s);
        assertEquals("crossentropy", s.loss());
        assertEquals(OptimizerSpec.Kind.ADAM, s.optimizer().kind());
        assertEquals(32, s.batch());
        assertEquals(1, s.epochs());
    }

    @Test
    void theKerasRecipe() {
        TrainSettings s = read("loss = crossentropy\noptimizer = rmsprop(lr=0.001)\nbatch = 64\nepochs = 5");
        assertEquals("crossentropy", s.loss());
        assertEquals(OptimizerSpec.Kind.RMSPROP, s.optimizer().kind());
        assertEquals(0.001, s.optimizer().lr());
        assertEquals(0.99, s.optimizer().alpha());
        assertEquals(1e-8, s.optimizer().eps());
        assertEquals(64, s.batch());
        assertEquals(5, s.epochs());
        RmsProp o = (RmsProp) s.optimizer().supplier(s.l1(), s.l2()).get();
        assertEquals(0.001, o.learningRate());
        assertEquals("rmsprop(lr=0.001), batch 64, 5 epochs, crossentropy, seed 0", TrainingSetup.describe(s));
    }

    @Test
    void everySetting() {
        TrainSettings s = read("""
                loss = "mse"
                optimizer = sgd(0.1, momentum=0.9, nesterov=true, weight_decay=5e-4)
                batch = 128
                epochs = 12
                schedule = step(4, gamma=0.5)
                warmup = warmup(2, start_factor=0.1)
                l1 = 1e-5
                l2 = 1e-4
                seed = -3
                validation = 0.1
                augment = [shift(3), flip, rotate(15)]
                normalize = standardize(mean=0.1307, std=0.3081, scale=255)""");
        assertEquals("mse", s.loss());
        OptimizerSpec o = s.optimizer();
        assertEquals(OptimizerSpec.Kind.SGD, o.kind());
        assertEquals(0.1, o.lr());
        assertEquals(0.9, o.momentum());
        assertTrue(o.nesterov());
        assertEquals(5e-4, o.weightDecay());
        assertEquals(128, s.batch());
        assertEquals(12, s.epochs());
        assertEquals(new StepSchedule(0.1, 4, 0.5), s.schedule().build(0.1, 12));
        assertEquals(2, s.warmupEpochs());
        assertEquals(0.1, s.warmupStartFactor());
        assertEquals(1e-5, s.l1());
        assertEquals(1e-4, s.l2());
        assertEquals(-3, s.seed());
        assertEquals(0.1, s.validation());
        assertEquals(new Augmentation(3, true, 15), s.augment());
        assertEquals(NormalizeSpec.Kind.STANDARDIZE, s.normalize().kind());
        assertEquals(255, s.normalize().divisor());
        assertArrayEquals(new double[] {0.1307}, s.normalize().mean());
        assertArrayEquals(new double[] {0.3081}, s.normalize().std());
        Sgd sgd = (Sgd) o.supplier(s.l1(), s.l2()).get();
        assertTrue(sgd.nesterov());
        assertEquals(1e-4, sgd.regularization().l2(), "l2 replaces the optimizer's weight_decay");
        assertEquals(1e-5, sgd.regularization().l1());
    }

    @Test
    void optimizersWithPyTorchDefaults() {
        OptimizerSpec adam = read("optimizer = adam(beta1=0.8, amsgrad=true)").optimizer();
        assertEquals(0.001, adam.lr());
        assertEquals(0.8, adam.beta1());
        assertEquals(0.999, adam.beta2());
        Adam a = (Adam) adam.supplier(0, 0).get();
        assertTrue(a.amsgrad());
        assertEquals(0.8, a.beta1());
        OptimizerSpec adagrad = read("optimizer = adagrad").optimizer();
        assertEquals(OptimizerSpec.Kind.ADAGRAD, adagrad.kind());
        assertEquals(0.01, adagrad.lr());
        assertEquals(1e-10, adagrad.eps());
        assertEquals(0.01, read("optimizer = rmsprop").optimizer().lr());
        OptimizerSpec rms = read("optimizer = rmsprop(alpha=0.9, eps=1e-7, centered=true, momentum=0.5)").optimizer();
        RmsProp r = (RmsProp) rms.supplier(0, 0).get();
        assertEquals(0.9, r.alpha());
        assertEquals(1e-7, r.eps());
        assertTrue(r.centered());
        assertEquals(0.5, r.momentum());
        assertFalse(r.keras());
    }

    @Test
    void kerasInitAndKernelL2() {
        TrainSettings s = read("init = glorot_uniform\nkernel_l2 = 0.0005");
        assertEquals(InitWeights.KernelInit.GLOROT_UNIFORM, s.init());
        assertEquals(0.0005, s.kernelL2());
        assertEquals(InitWeights.KernelInit.AUTO, read("batch = 4").init());
        List<String> e = errors("init = glorot_uniformm");
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("unknown init 'glorot_uniformm'; did you mean 'glorot_uniform'?"), e.toString());
    }

    @Test
    void rmspropTakesKerasNamesAndForm() {
        OptimizerSpec keras = read("optimizer = rmsprop(lr=0.001, rho=0.9, eps=1e-7, keras=true)").optimizer();
        RmsProp r = (RmsProp) keras.supplier(0, 0).get();
        assertEquals(0.9, r.alpha());
        assertEquals(1e-7, r.eps());
        assertTrue(r.keras());
        assertEquals("rmsprop(lr=0.001, rho=0.9, eps=1.0E-7, keras=true)", keras.describe());
        assertEquals(0.9, ((RmsProp) read("optimizer = rmsprop(rho=0.9)").optimizer().supplier(0, 0).get()).alpha());
        List<String> e = errors("optimizer = rmsprop(alpha=0.9, rho=0.9)");
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("error: rmsprop: give alpha (PyTorch's name) or rho (Keras' name) for the "
                + "smoothing constant, not both [E"), e.toString());
    }

    @Test
    void schedulesWarmupAugmentAndNormalize() {
        assertEquals(new CosineSchedule(0.001, 7, 0), read("epochs = 7\nschedule = cosine").schedule().build(0.001, 7));
        assertEquals(new CosineSchedule(0.001, 3, 1e-5),
                read("schedule = cosine(t_max=3, eta_min=1e-5)").schedule().build(0.001, 7));
        assertEquals(new LinearSchedule(0.01, 0.5, 1, 4),
                read("schedule = linear(0.5, total_iters=4)").schedule().build(0.01, 7));
        assertEquals(ScheduleSpec.Kind.CONSTANT, read("schedule = constant").schedule().kind());
        TrainSettings w = read("warmup = 3");
        assertEquals(3, w.warmupEpochs());
        assertEquals(1.0 / 3, w.warmupStartFactor());
        assertEquals(new Augmentation(2, false, 0), read("augment = shift").augment());
        assertEquals(new Augmentation(0, false, 10), read("augment = [rotate]").augment());
        assertTrue(read("augment = none").augment().isNone());
        assertEquals(NormalizeSpec.Kind.RESCALE, read("normalize = rescale(255)").normalize().kind());
        assertEquals(255, read("normalize = rescale").normalize().divisor());
        assertEquals(NormalizeSpec.Kind.FIT, read("normalize = fit").normalize().kind());
        assertEquals(NormalizeSpec.Kind.NONE, read("normalize = none").normalize().kind());
        assertArrayEquals(new double[] {0.5, 0.4, 0.3},
                read("normalize = standardize([0.5, 0.4, 0.3], 0.2)").normalize().mean());
    }

    @Test
    void unknownAndRepeatedSettingsAreReportedAtTheirKeys() {
        assertEquals(List.of(
                "m.cnn:8:1: error: unknown train setting 'epoch'; did you mean 'epochs'? (settings: loss, optimizer, "
                        + "batch, epochs, schedule, warmup, l1, l2, seed, validation, augment, normalize, init, kernel_l2, target, noise) [E102]",
                "m.cnn:10:1: error: train setting 'batch' is given twice [E103]"),
                errors("epoch = 3\nbatch = 4\nbatch = 5"));
    }

    @Test
    void everyErrorIsCollectedWithItsPosition() {
        List<String> e = errors("""
                loss = hinge
                optimizer = adamw(lr=0.1)
                batch = 0
                epochs = 2.5
                schedule = step(gamma=2)
                warmup = "two"
                l1 = -1
                l2 = true
                seed = 1.5
                validation = 1
                augment = [shift(-1), blur]
                normalize = standardize(mean=[0.5, 0.5], std=0)""");
        assertEquals(List.of(
                "m.cnn:8:8: error: unknown loss 'hinge' (losses: crossentropy, binary_crossentropy, mse) [E106]",
                "m.cnn:9:13: error: unknown optimizer 'adamw'; did you mean 'adam'? (optimizers: sgd, adagrad, "
                        + "rmsprop, adam) [E106]",
                "m.cnn:10:9: error: batch must be at least 1, got 0 [E106]",
                "m.cnn:11:10: error: epochs must be an integer, got the number 2.5 [E105]",
                "m.cnn:12:12: error: step needs argument 'step_size': epochs between decays [E104]",
                "m.cnn:13:10: error: warmup must be an epoch count or warmup(epochs, start_factor), got the string "
                        + "\"two\" [E105]",
                "m.cnn:14:6: error: l1 must not be negative, got -1 [E106]",
                "m.cnn:15:6: error: l2 must be a number, got the boolean true [E105]",
                "m.cnn:16:8: error: seed must be an integer, got the number 1.5 [E105]",
                "m.cnn:17:14: error: validation must be in [0, 1), got 1 [E106]",
                "m.cnn:18:18: error: shift pixels must be at least 0, got -1 [E106]",
                "m.cnn:18:23: error: unknown augmentation 'blur' (augmentations: shift(pixels), flip, rotate(degrees), "
                        + "none) [E106]",
                "m.cnn:19:46: error: standardize std must be positive, got 0 [E106]"), e);
    }

    @Test
    void optimizerArgumentErrors() {
        assertEquals(List.of(
                "m.cnn:8:13: error: sgd needs argument 'lr': SGD has no default learning rate [E104]",
                "m.cnn:8:13: error: sgd: Nesterov momentum requires a momentum > 0 and zero dampening [E106]",
                "m.cnn:8:17: error: sgd has no argument 'moment'; did you mean 'momentum'? [E102]"),
                errors("optimizer = sgd(moment=0.9, nesterov=true)"));
        assertEquals(List.of(
                "m.cnn:8:18: error: adam lr must be positive, got -0.1 [E106]",
                "m.cnn:8:24: error: adam beta1 must be in [0, 1), got 1 [E106]",
                "m.cnn:8:41: error: adam amsgrad must be true or false, got the integer 1 [E105]",
                "m.cnn:8:44: error: adam takes at most 6 arguments: adam(lr, beta1, beta2, eps, weight_decay, "
                        + "amsgrad) [E107]",
                "m.cnn:8:47: error: argument 'lr' is given twice (first at 8:18) [E103]"),
                errors("optimizer = adam(-0.1, 1, 0.9, 1e-8, 0, 1, 2, lr=0.1)"));
    }

    @Test
    void valuesOfTheWrongKind() {
        assertEquals(List.of(
                "m.cnn:8:8: error: loss must be a name such as crossentropy, got the integer 3 [E105]",
                "m.cnn:9:13: error: optimizer must be a name or a call, got a list of 1 [E105]",
                "m.cnn:10:12: error: unknown schedule 'exp' (schedules: constant, step, cosine, "
                        + "linear, snapshot) [E106]",
                "m.cnn:11:13: error: unknown normalization 'scale'; did you mean 'rescale'? (normalizations: none, rescale, standardize, fit) "
                        + "[E106]"),
                errors("loss = 3\noptimizer = [adam]\nschedule = exp\nnormalize = scale"));
    }

}
