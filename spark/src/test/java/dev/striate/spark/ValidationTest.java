package dev.striate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Normalization;
import dev.striate.optim.Adam;
import dev.striate.spark.models.BnTinyTrainer;
import dev.striate.spark.models.MnistDenoisingTrainer;
import dev.striate.spark.models.SeedCnnTrainer;
import dev.striate.train.EpochStats;
import dev.striate.train.ImageTargets;
import dev.striate.train.Loss;
import dev.striate.train.TrainableModel;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.TrainingResult;
import dev.striate.train.loss.SigmoidBinaryCrossEntropy;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Validation and image targets in Spark training (local[2], 2 tasks) against the runtime's
 * single-JVM {@link Trainer} with 2 slices: the same rows held out, the same per-epoch validation
 * loss and accuracy (and training loss and accuracy) to the last bit, the same weights.
 */
class ValidationTest {
    private static final long SEED = 5;
    private static final Path EXAMPLES = Path.of(System.getProperty("striate.examples", "../examples"));
    private static final Normalization NORMALIZATION = Normalization.of(new double[] {30}, new double[] {80});

    /** A single-JVM run's weights and history. */
    private record Run(Map<String, Tensor> weights, List<EpochStats> history) {
    }

    private static Run singleJvm(TrainableModel model, Loss loss, int batch, int epochs,
            dev.striate.data.Dataset data, UnaryOperator<TrainingConfig.Builder> extra) throws Exception {
        TrainingConfig config = extra.apply(TrainingConfig.builder().epochs(epochs).batchSize(batch)
                .optimizer(TrainingTest.rmsprop()).seed(SEED).threads(1).slices(2).progress(null)).build();
        TrainingResult r = new Trainer(model, loss, config).train(data);
        return new Run(Trainer.weights(model).tensors(), r.history());
    }

    private static void assertSameRun(Run expected, SparkTrainer.Result actual) {
        assertEquals(expected.weights().keySet(), actual.weights().tensors().keySet());
        for (Map.Entry<String, Tensor> e : expected.weights().entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.weights().tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
        assertEquals(expected.history().size(), actual.history().size());
        for (int i = 0; i < expected.history().size(); i++) {
            EpochStats x = expected.history().get(i);
            EpochStats y = actual.history().get(i);
            String epoch = "epoch " + x.epoch();
            assertEquals(x.epoch(), y.epoch(), epoch);
            assertEquals(x.lr(), y.lr(), epoch);
            assertEquals(x.trainLoss(), y.trainLoss(), epoch + " loss");              // exact: assertEquals(double, double)
            assertEquals(x.trainAccuracy(), y.trainAccuracy(), epoch + " accuracy");
            assertEquals(x.valLoss(), y.valLoss(), epoch + " validation loss");
            assertEquals(x.valAccuracy(), y.valAccuracy(), epoch + " validation accuracy");
            assertFalse(Double.isNaN(y.valLoss()), epoch + " was validated");
        }
    }

    private static SparkTrainer.Builder seedCnn(WeightSet initial) {
        return SparkTrainer.builder(SeedCnnTrainer.class.getName(), initial).tasks(2).batchSize(64).epochs(2)
                .seed(SEED).optimizer(TrainingTest.rmsprop()).normalization(NORMALIZATION).imageShape(1, 28, 28);
    }

    /**
     * {@code validationFraction(0.2)} holds out the 60 of 300 rows {@code striate train
     * --validation=0.2} holds out, and scores them (normalized) after each of 2 epochs with the
     * numbers of the single JVM; another seed holds out other rows and gives another validation loss.
     */
    @Test
    void aValidationFractionGivesTheSingleJvmNumbers() throws Exception {
        WeightSet initial = TrainingTest.initialWeights(EXAMPLES.resolve("mnist/seed_cnn.cnn"));
        Function<Long, Run> single = seed -> {
            try {
                return singleJvm(new SeedCnnTrainer(TrainState.fromWeights(initial)), new SoftmaxCrossEntropy(), 64, 2,
                        TrainingTest.dataset(0, 300), b -> b.seed(seed).validationFraction(0.2)
                                .normalization(NORMALIZATION));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Run expected = single.apply(SEED);
        SparkTrainer.Result r = seedCnn(initial).validationFraction(0.2).build()
                .fit(TrainingTest.rows(300), "pixels", "label");
        assertSameRun(expected, r);
        assertNotEquals(expected.history().get(1).valLoss(), single.apply(SEED + 1).history().get(1).valLoss());
    }

    /**
     * A separate validation DataFrame of 65 rows: two evaluation batches, the second of one row,
     * so task 0 has no slice of it (it must be skipped in the sum, as the single JVM skips it).
     */
    @Test
    void aValidationDataFrameGivesTheSingleJvmNumbers() throws Exception {
        WeightSet initial = TrainingTest.initialWeights(EXAMPLES.resolve("mnist/seed_cnn.cnn"));
        Run expected = singleJvm(new SeedCnnTrainer(TrainState.fromWeights(initial)), new SoftmaxCrossEntropy(), 64, 2,
                TrainingTest.dataset(0, 235), b -> b.validation(TrainingTest.dataset(235, 65))
                        .normalization(NORMALIZATION));
        SparkTrainer.Result r = seedCnn(initial).build()
                .fit(TrainingTest.rows(235), TrainingTest.rows(235, 65), "pixels", "label");
        assertSameRun(expected, r);

        assertEquals("E804", assertThrows(StriateSparkException.class, () -> seedCnn(initial).validationFraction(0.1)
                .build().fit(TrainingTest.rows(20), TrainingTest.rows(20, 5), "pixels", "label")).code());
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> seedCnn(initial).validationFraction(1)
                .build()).code());
    }

    /**
     * Batch norm: each task updates its own running statistics, the run keeps task 0's (slice 0's
     * in the single JVM); validation must score with those on every task. Without sharing them,
     * task 1 would score its slices with the statistics of its own training slices.
     */
    @Test
    void validationWithBatchNormUsesTheKeptRunningStatistics() throws Exception {
        WeightSet initial = TrainingTest.initialWeights(Path.of("src/test/resources/models/bn_tiny.cnn"));
        Run expected = singleJvm(new BnTinyTrainer(TrainState.fromWeights(initial)), new SoftmaxCrossEntropy(), 32, 2,
                TrainingTest.dataset(0, 160), b -> b.validationFraction(0.25));
        for (Exchange exchange : Exchange.values()) {
            SparkTrainer.Result r = SparkTrainer.builder(BnTinyTrainer.class.getName(), initial).tasks(2).batchSize(32)
                    .epochs(2).seed(SEED).optimizer(TrainingTest.rmsprop()).exchange(exchange).validationFraction(0.25)
                    .build().fit(TrainingTest.rows(160), "pixels", "label");
            assertSameRun(expected, r);
        }
    }

    /**
     * A denoising autoencoder (examples/autoencoder/mnist_denoising.cnn: target = the clean input,
     * the input with seeded Gaussian noise, binary cross-entropy per pixel), 2 tasks, 2 epochs of
     * 30 rows in batches of 16 plus 10 validation rows: the single JVM's weights and losses; without
     * the noise the single JVM gives other weights (so the noise, seeded per row, took part).
     */
    @Test
    void imageTargetsGiveTheSingleJvmBits() throws Exception {
        WeightSet initial = TrainingTest.initialWeights(EXAMPLES.resolve("autoencoder/mnist_denoising.cnn"));
        ImageTargets noisy = new ImageTargets(1 / 255.0, 64, 0, 255);
        Function<ImageTargets, Run> single = targets -> {
            try {
                return singleJvm(new MnistDenoisingTrainer(TrainState.fromWeights(initial)),
                        new SigmoidBinaryCrossEntropy(), 16, 2, TrainingTest.dataset(0, 40),
                        b -> b.optimizer(() -> Adam.builder().lr(0.001).build()).imageTargets(targets)
                                .validationFraction(0.25));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Run expected = single.apply(noisy);
        SparkTrainer.Result r = SparkTrainer.builder(MnistDenoisingTrainer.class.getName(), initial).tasks(2)
                .batchSize(16).epochs(2).seed(SEED).optimizer(() -> Adam.builder().lr(0.001).build())
                .loss(SigmoidBinaryCrossEntropy::new).imageTargets(noisy).validationFraction(0.25).build()
                .fit(TrainingTest.rows(40), "pixels", null);
        assertSameRun(expected, r);
        assertTrue(Double.isNaN(r.history().get(0).trainAccuracy()), "no classes with image targets");
        Map<String, Tensor> clean = single.apply(ImageTargets.of(1 / 255.0)).weights();
        assertFalse(expected.weights().entrySet().stream().allMatch(
                e -> Arrays.equals(e.getValue().data(), clean.get(e.getKey()).data())));

        SparkTrainer.Builder classifier = SparkTrainer.builder(SeedCnnTrainer.class.getName(),
                TrainingTest.initialWeights(EXAMPLES.resolve("mnist/seed_cnn.cnn"))).optimizer(TrainingTest.rmsprop());
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> classifier.imageTargets(noisy).build()
                .fit(TrainingTest.rows(8), "pixels", null)).code());                    // 10 outputs for 784 inputs
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> SparkTrainer.builder(
                MnistDenoisingTrainer.class.getName(), initial).optimizer(TrainingTest.rmsprop()).build()
                .fit(TrainingTest.rows(8), "pixels", null)).code());                    // no label, no image targets
    }
}
