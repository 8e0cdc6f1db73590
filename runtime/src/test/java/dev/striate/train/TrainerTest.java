package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Augmentation;
import dev.striate.data.Dataset;
import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.optim.Adam;
import dev.striate.optim.Sgd;
import dev.striate.optim.schedule.CosineSchedule;
import dev.striate.weights.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Dataset DATA = Blobs.of(240, 3, 7);

    @TempDir
    Path dir;

    private static Mlp model() {
        return new Mlp(8, 16, 3, 0.25, 42);
    }

    /** Adam with a warmed-up cosine schedule, augmentation, validation and dropout: every source of state. */
    private static TrainingConfig.Builder rich() {
        return TrainingConfig.builder().epochs(4).batchSize(20).seed(11)
                .optimizer(() -> Adam.builder().lr(0.01).build())
                .schedule(new CosineSchedule(0.01, 4)).warmup(1, 0.5)
                .validationFraction(0.2).augmentation(new Augmentation(1, false, 0))
                .progress(null);
    }

    private static float[][] train(Mlp model, TrainingConfig config) throws IOException {
        new Trainer(model, new TestCrossEntropy(), config).train(DATA);
        return snapshot(model);
    }

    private static float[][] snapshot(TrainableModel model) {
        return model.parameters().stream().map(t -> t.data().clone()).toArray(float[][]::new);
    }

    private static void assertBitIdentical(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[p][i]), Float.floatToRawIntBits(actual[p][i]),
                        "parameter " + p + " element " + i);
            }
        }
    }

    private static boolean bitIdentical(float[][] a, float[][] b) {
        for (int p = 0; p < a.length; p++) {
            if (!java.util.Arrays.equals(a[p], b[p])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void lossFallsBelowABoundAndValidationAccuracyIsHigh() throws IOException {
        Mlp model = model();
        TrainingResult r = new Trainer(model, new TestCrossEntropy(), TrainingConfig.builder().epochs(15)
                .batchSize(16).seed(3).optimizer(() -> Sgd.builder(0.05).momentum(0.9).build())
                .validationFraction(0.25).progress(null).build()).train(DATA);
        EpochStats first = r.history().get(0);
        EpochStats last = r.last();
        assertEquals(15, r.history().size());
        assertFalse(r.stopped());
        assertTrue(last.trainLoss() < 0.1, "final loss " + last.trainLoss());
        assertTrue(last.trainLoss() < first.trainLoss() / 5, first.trainLoss() + " -> " + last.trainLoss());
        assertTrue(last.valAccuracy() > 0.97, "val acc " + last.valAccuracy());
        assertTrue(last.valLoss() < 0.2, "val loss " + last.valLoss());
    }

    @Test
    void aSeededRunIsReproducibleBitForBit() throws IOException {
        float[][] a = train(model(), rich().build());
        float[][] b = train(model(), rich().build());
        assertBitIdentical(a, b);
        float[][] other = train(model(), rich().seed(12).build());
        assertFalse(bitIdentical(a, other), "another seed must give other weights");
    }

    @Test
    void theThreadCountDoesNotChangeTheNumbersForTheSameSlicing() throws IOException {
        float[][] oneThread = train(model(), rich().threads(1).slices(2).build());
        float[][] twoThreads = train(model(), rich().threads(2).slices(2).build());
        assertBitIdentical(oneThread, twoThreads);
        float[][] threeSlices = train(model(), rich().threads(2).slices(3).build());
        float[][] threeSlicesOnOne = train(model(), rich().threads(1).slices(3).build());
        assertBitIdentical(threeSlices, threeSlicesOnOne);
    }

    @Test
    void otherSlicingsAgreeUpToSummationOrderWithoutDropout() throws IOException {
        UnaryOperator<TrainingConfig.Builder> sgd = b -> b.epochs(2).batchSize(24).seed(5).progress(null)
                .optimizer(() -> Sgd.builder(0.05).build());
        float[][] one = train(new Mlp(8, 16, 3, 0, 42), sgd.apply(TrainingConfig.builder()).threads(1).build());
        float[][] two = train(new Mlp(8, 16, 3, 0, 42), sgd.apply(TrainingConfig.builder()).threads(2).build());
        float[][] five = train(new Mlp(8, 16, 3, 0, 42), sgd.apply(TrainingConfig.builder()).threads(2).slices(5).build());
        for (int p = 0; p < one.length; p++) {
            assertArrayEquals(one[p], two[p], 1e-5f);
            assertArrayEquals(one[p], five[p], 1e-5f);
        }
    }

    @Test
    void oneHotTargetsReachTheLossAsDenseRows() throws IOException {
        float[][] labels = train(model(), rich().targets(Targets.LABELS).build());
        float[][] oneHot = train(model(), rich().targets(Targets.ONE_HOT).build());
        assertBitIdentical(labels, oneHot);
    }

    @Test
    void resumingAfterAnEpochGivesTheUninterruptedWeightsBitForBit() throws IOException {
        float[][] uninterrupted = train(model(), rich().checkpointDir(dir.resolve("full")).build());
        Mlp model = model();
        TrainingResult half = new Trainer(model, new TestCrossEntropy(),
                rich().epochs(2).checkpointDir(dir.resolve("split")).build()).train(DATA);
        assertEquals(2, half.history().size());
        Mlp fresh = model();
        TrainingResult rest = new Trainer(fresh, new TestCrossEntropy(),
                rich().checkpointDir(dir.resolve("split")).resume(true).build()).train(DATA);
        assertEquals(4, rest.history().size());
        assertBitIdentical(uninterrupted, snapshot(fresh));
    }

    @Test
    void aStopRequestWritesACheckpointAtTheBatchBoundaryAndResumeMatches() throws IOException {
        Mlp reference = model();
        TrainingResult full = new Trainer(reference, new TestCrossEntropy(), rich().build()).train(DATA);
        float[][] uninterrupted = snapshot(reference);

        StopSignal stop = new StopSignal();
        Path ckpt = dir.resolve("ckpt");
        Mlp model = model();
        TrainingResult stopped = new Trainer(model, new TestCrossEntropy(), rich().checkpointDir(ckpt).stop(stop)
                .listener((epoch, batch, loss) -> {
                    if (epoch == 1 && batch == 3) {
                        stop.request();
                    }
                }).build()).train(DATA);
        assertTrue(stopped.stopped());
        assertTrue(stop.hasStopped(), "the loop reports it has stopped");
        assertEquals(1, stopped.epoch());
        assertEquals(4, stopped.batch());
        assertEquals(1, stopped.history().size());
        Checkpoint c = CheckpointFile.read(CheckpointFile.in(ckpt));
        assertEquals(1, c.epoch());
        assertEquals(4, c.batch());
        assertEquals(4 * 20, c.partial().seen());
        assertBitIdentical(snapshot(model), c.parameters().stream().map(Tensor::data).toArray(float[][]::new));

        Mlp resumed = model();
        TrainingResult rest = new Trainer(resumed, new TestCrossEntropy(),
                rich().checkpointDir(ckpt).resume(true).build()).train(DATA);
        assertFalse(rest.stopped());
        assertBitIdentical(uninterrupted, snapshot(resumed));
        for (int e = 0; e < 4; e++) {
            EpochStats a = full.history().get(e);
            EpochStats b = rest.history().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 0, "epoch " + (e + 1));
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0);
            assertEquals(a.valLoss(), b.valLoss(), 0);
            assertEquals(a.lr(), b.lr(), 0);
        }
    }

    @Test
    void aStopBeforeTheFirstBatchSavesTheUntrainedState() throws IOException {
        StopSignal stop = new StopSignal();
        stop.request();
        Mlp model = model();
        float[][] before = snapshot(model);
        TrainingResult r = new Trainer(model, new TestCrossEntropy(),
                rich().checkpointDir(dir).stop(stop).build()).train(DATA);
        assertTrue(r.stopped());
        assertEquals(0, r.epoch());
        assertEquals(0, r.batch());
        assertBitIdentical(before, snapshot(model));
        assertTrue(Files.exists(CheckpointFile.in(dir)));
    }

    @Test
    void resumingWithoutACheckpointFails() {
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(model(), new TestCrossEntropy(),
                rich().checkpointDir(dir).resume(true).build()).train(DATA));
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
    }

    @Test
    void resumingAnotherConfigurationFailsAndNamesTheDifference() throws IOException {
        new Trainer(model(), new TestCrossEntropy(), rich().epochs(1).checkpointDir(dir).build()).train(DATA);
        TrainingException e = assertThrows(TrainingException.class, () -> new Trainer(model(),
                new TestCrossEntropy(), rich().batchSize(30).checkpointDir(dir).resume(true).build()).train(DATA));
        assertTrue(e.getMessage().contains("batch: 20 in the checkpoint, 30 now"), e.getMessage());
    }

    @Test
    void writesTheCsvAndJsonLogsOncePerEpochAlsoAfterAResume() throws IOException {
        Path csv = dir.resolve("logs/train.csv");
        new Trainer(model(), new TestCrossEntropy(), rich().epochs(2).checkpointDir(dir).logFile(csv).build())
                .train(DATA);
        new Trainer(model(), new TestCrossEntropy(), rich().epochs(3).checkpointDir(dir).logFile(csv).resume(true)
                .build()).train(DATA);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(TrainingLog.HEADER, lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        for (int e = 1; e <= 3; e++) {
            String[] f = lines.get(e).split(",", -1);
            assertEquals(8, f.length, lines.get(e));
            assertEquals(Integer.toString(e), f[0]);
            double lr = Double.parseDouble(f[1]);
            double expected = new CosineSchedule(0.01, 4).withWarmup(1, 0.5).lr(e - 1);
            assertEquals(expected, lr, 0);
            assertTrue(Double.parseDouble(f[3]) > 0 && Double.parseDouble(f[5]) > 0, lines.get(e));
            assertTrue(Double.parseDouble(f[7]) > 0, lines.get(e));
        }
        List<String> json = Files.readAllLines(dir.resolve("logs/train.jsonl"));
        assertEquals(3, json.size());
        assertTrue(json.get(2).startsWith("{\"epoch\":3,\"lr\":"), json.get(2));
        assertTrue(json.get(2).contains("\"val_acc\":"), json.get(2));
    }

    @Test
    void printsProgressLinesAndEpochSummaries() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        new Trainer(model(), new TestCrossEntropy(), rich().epochs(2).progress(out)
                .progressMode(TrainingConfig.ProgressMode.LINES).build()).train(DATA);
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns in line mode");
        assertTrue(text.contains("epoch 1/2 [=="), text);
        assertTrue(text.contains(" ETA "), text);
        assertTrue(text.matches("(?s).*epoch 2/2  loss \\d\\.\\d{4}  acc \\d+\\.\\d\\d%  val_loss \\d\\.\\d{4}  "
                + "val_acc \\d+\\.\\d\\d%  lr \\S+  \\d+\\.\\ds  \\d+ img/s\n.*"), text);
    }

    @Test
    void writesTheTrainedWeightsInTheWeightsFormat() throws IOException {
        Mlp model = model();
        new Trainer(model, new TestCrossEntropy(), rich().epochs(1).build()).train(DATA);
        Path manifest = dir.resolve("mlp.weights.json");
        Trainer.writeWeights(model, manifest);
        dev.striate.weights.WeightSet read = dev.striate.weights.WeightsFile.read(manifest);
        assertEquals("Mlp", read.modelName());
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(read.tensors().keySet()));
        for (Tensor t : model.parameters()) {
            assertArrayEquals(t.data(), read.tensors().get(t.name()).data());
            assertArrayEquals(t.shape(), read.tensors().get(t.name()).shape());
        }
    }

    @Test
    void rejectsDataTheModelCannotRead() {
        Dataset wrong = new FloatImageDataset(new ImageShape(1, 3, 3), new float[9], new int[] {0},
                List.of("a", "b", "c"));
        TrainingException e = assertThrows(TrainingException.class,
                () -> new Trainer(model(), new TestCrossEntropy(), rich().build()).train(wrong));
        assertTrue(e.getMessage().contains("reads 8 values per image"), e.getMessage());
        assertNotNull(e.getMessage());
    }
}
