package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.striate.data.Augmentation;
import dev.striate.data.ByteImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.optim.Sgd;
import dev.striate.optim.schedule.StepSchedule;
import dev.striate.optim.schedule.Warmup;
import dev.striate.train.StopSignal;
import dev.striate.train.Targets;
import dev.striate.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping of train block settings and run options to the runtime's {@link TrainingConfig}. */
class TrainingSetupTest {
    private static final SourcePos POS = new SourcePos("m.cnn", 7, 1);
    private static final ByteImageDataset DATA = new ByteImageDataset(new ImageShape(1, 2, 2),
            new byte[] {0, 10, 20, 30, 40, 50, 60, (byte) 200}, new int[] {0, 1}, List.of("a", "b"));

    private static TrainSettings read(String body) {
        String file = "model M {\n    input x: [1, 2, 2]\n    flatten\n    dense(2, activation=softmax)\n}\ntrain M {\n"
                + body + "\n}\n";
        return TrainBlockReader.read(Frontend.parse(file, "m.cnn").train("M").orElseThrow());
    }

    private static final RunOptions RUN = new RunOptions(1, 2, Path.of("log.csv"), Path.of("ckpt"), true, null,
            TrainingConfig.ProgressMode.SUMMARY, null);

    @Test
    void everySettingReachesTheConfig() {
        TrainSettings s = read("""
                loss = mse
                optimizer = sgd(0.1, momentum=0.5, weight_decay=0.01)
                batch = 8
                epochs = 6
                schedule = step(2, 0.5)
                warmup = warmup(1, 0.25)
                l1 = 0.001
                seed = 9
                validation = 0.2
                augment = [shift(1), flip, rotate(5)]
                normalize = rescale(255)""");
        StopSignal stop = new StopSignal();
        Normalization n = TrainingSetup.normalization(s, DATA, POS);
        TrainingConfig c = TrainingSetup.config(s, n, RUN, stop, POS);
        assertEquals(6, c.epochs());
        assertEquals(8, c.batchSize());
        assertEquals(9, c.seed());
        assertEquals(1, c.threads());
        assertEquals(2, c.slices());
        assertEquals(0.2, c.validationFraction());
        assertEquals(new Augmentation(1, true, 5), c.augmentation());
        assertArrayEquals(new float[] {255f}, c.normalization().std());
        assertEquals(Path.of("log.csv"), c.logFile());
        assertEquals(Path.of("ckpt"), c.checkpointDir());
        assertEquals(true, c.resume());
        assertEquals(Targets.ONE_HOT, c.targets(), "mse reads one-hot rows");
        assertEquals(stop, c.stop());
        assertEquals(new StepSchedule(0.1, 2, 0.5), c.schedule());
        Warmup w = (Warmup) c.effectiveSchedule(0.1);
        assertEquals(1, w.epochs());
        assertEquals(0.25, w.startFactor());
        Sgd sgd = (Sgd) c.optimizer().get();
        assertEquals(0.1, sgd.learningRate());
        assertEquals(0.5, sgd.momentum());
        assertEquals(0.01, sgd.regularization().l2());
        assertEquals(0.001, sgd.regularization().l1());
    }

    @Test
    void defaultsGiveAConstantRateLabelsAndNoNormalization() {
        TrainSettings s = TrainSettings.DEFAULTS;
        TrainingConfig c = TrainingSetup.config(s, TrainingSetup.normalization(s, DATA, POS), RUN, new StopSignal(), POS);
        assertNull(c.schedule());
        assertNull(c.normalization());
        assertEquals(Targets.LABELS, c.targets());
        assertEquals(0, c.warmupEpochs());
        assertEquals(Augmentation.NONE, c.augmentation());
    }

    @Test
    void fitAndStandardizeNormalizations() {
        Normalization fit = TrainingSetup.normalization(read("normalize = fit"), DATA, POS);
        assertEquals(51.25f, fit.mean()[0], 1e-4f);
        Normalization std = TrainingSetup.normalization(read("normalize = standardize(0.5, 0.25, scale=255)"), DATA, POS);
        assertEquals(127.5f, std.mean()[0], 1e-4f);
        assertEquals(63.75f, std.std()[0], 1e-4f);
    }

    @Test
    void aNormalizationOfTheWrongChannelCountIsADiagnosticAtTheBlock() {
        TrainSettings s = read("normalize = standardize([0.5, 0.4, 0.3], [0.2, 0.2, 0.2])");
        CompileException e = assertThrows(CompileException.class, () -> TrainingSetup.normalization(s, DATA, POS));
        assertEquals("m.cnn:7:1: error: normalize: standardize gives 3 values but the images have 1 channel "
                + "(give one value, or one per channel) [E106]", e.diagnostics().get(0).format());
    }
}
