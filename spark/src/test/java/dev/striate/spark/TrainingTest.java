package dev.striate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.data.Augmentation;
import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.optim.schedule.StepSchedule;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.optim.Optimizer;
import dev.striate.optim.RmsProp;
import dev.striate.passes.InitWeights;
import dev.striate.spark.models.SeedCnnTrainer;
import dev.striate.train.CheckpointFile;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training in a 2-task barrier stage of real Spark (local[2]) gives, bit for bit,
 * the weights the runtime's single-JVM {@link Trainer} gives with the same global batch, seed and
 * optimizer and 2 slices: the Keras MNIST CNN (no batch norm, no dropout), its trainer generated
 * ahead of time by the build (TrainerSources, into the test classes).
 */
class TrainingTest {
    private static final int ROWS = 300;      // 4 full batches of 64 and one of 44
    private static final int BATCH = 64;
    private static final long SEED = 5;
    private static Digits digits;

    static synchronized Digits digits() {
        if (digits == null) {
            digits = Digits.load();
        }
        return digits;
    }

    private static WeightSet initial;

    @BeforeAll
    static void start() {
        initial = initialWeights(Path.of(System.getProperty("striate.examples", "../examples"), "mnist", "seed_cnn.cnn"));
    }

    /** Seeded initial weights of the model in {@code file}, as {@code striate init} makes them. */
    static WeightSet initialWeights(Path file) {
        Graph graph = Compiler.loadModel(file, null, new Diagnostics());
        return InitWeights.run(graph, 3);
    }

    static SerializableSupplier<Optimizer> rmsprop() {
        return () -> RmsProp.builder().lr(0.001).build();
    }

    static Dataset<Row> rows(int n) {
        return rows(0, n);
    }

    /** The digits {@code from .. from + n - 1} as rows of pixels and label. */
    static Dataset<Row> rows(int from, int n) {
        Digits digits = digits();
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            List<Float> px = new ArrayList<>();
            for (float v : digits.images[i]) {
                px.add(v);
            }
            rows.add(RowFactory.create(px, digits.labels[i]));
        }
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("label", DataTypes.IntegerType);
        return LocalSpark.get().createDataFrame(rows, schema);
    }

    private static Map<String, Tensor> singleJvm(int epochs, int slices) throws Exception {
        return singleJvm(ROWS, epochs, slices);
    }

    private static Map<String, Tensor> singleJvm(int rows, int epochs, int slices) throws Exception {
        return singleJvm(rows, epochs, slices, b -> b);
    }

    private static Map<String, Tensor> singleJvm(int rows, int epochs, int slices,
            java.util.function.UnaryOperator<TrainingConfig.Builder> extra) throws Exception {
        SeedCnnTrainer model = new SeedCnnTrainer(TrainState.fromWeights(initial));
        TrainingConfig config = extra.apply(TrainingConfig.builder().epochs(epochs).batchSize(BATCH).optimizer(rmsprop())
                .seed(SEED).threads(1).slices(slices).progress(null)).build();
        new Trainer(model, new SoftmaxCrossEntropy(), config).train(dataset(0, rows));
        return Trainer.weights(model).tensors();
    }

    /** The digits {@code from .. from + n - 1} as the single JVM's data set (the same values as {@link #rows(int, int)}). */
    static FloatImageDataset dataset(int from, int n) {
        Digits digits = digits();
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(digits.images[from + i], 0, pixels, i * 784, 784);
            labels[i] = digits.labels[from + i];
        }
        List<String> classes = Arrays.asList("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return new FloatImageDataset(new ImageShape(1, 28, 28), pixels, labels, classes);
    }

    private static SparkTrainer.Builder spark(int epochs) {
        return SparkTrainer.builder(SeedCnnTrainer.class.getName(), initial).tasks(2).batchSize(BATCH)
                .epochs(epochs).seed(SEED).optimizer(rmsprop());
    }

    @Test
    void aTwoTaskBarrierRunEqualsTheSingleJvmRunBitForBit(@TempDir Path dir) throws Exception {
        SparkTrainer.Result r = spark(2).checkpointDir(dir).build().fit(rows(ROWS), "pixels", "label");
        Map<String, Tensor> expected = singleJvm(2, 2);
        assertEquals(expected.keySet(), r.weights().tensors().keySet());
        boolean moved = false;
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().data(), r.weights().tensors().get(e.getKey()).data(), 0f, e.getKey());
            moved |= !Arrays.equals(initial.tensors().get(e.getKey()).data(), e.getValue().data());
        }
        assertTrue(moved, "training changed the weights");
        assertEquals(2, r.history().size());
        assertTrue(Files.exists(CheckpointFile.in(dir)));
        assertEquals(2, CheckpointFile.read(CheckpointFile.in(dir)).epoch());

        // the comparison can fail: one slice sums the batch in another order than two
        Map<String, Tensor> oneSlice = singleJvm(2, 1);
        assertFalse(expected.entrySet().stream().allMatch(
                e -> Arrays.equals(e.getValue().data(), oneSlice.get(e.getKey()).data())));

        // resuming from the checkpoint after epoch 1 reaches the same weights as the run above
        Path half = dir.resolve("half");
        spark(1).checkpointDir(half).build().fit(rows(ROWS), "pixels", "label");
        SparkTrainer.Result resumed = spark(2).checkpointDir(half).resume(true).build()
                .fit(rows(ROWS), "pixels", "label");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().data(), resumed.weights().tensors().get(e.getKey()).data(), 0f);
        }
        StriateSparkException other = assertThrows(StriateSparkException.class, () -> spark(2).batchSize(32)
                .checkpointDir(half).resume(true).build().fit(rows(ROWS), "pixels", "label"));
        assertEquals("E805", other.code());
    }

    /**
     * 65 rows in batches of 64: the second batch has one sample, so task 0's slice is empty and it
     * must be skipped, not added as zeros (0 + -0 is +0). Both exchanges give the single JVM's bits.
     */
    @Test
    void anEmptySliceAndBothExchangesGiveTheSingleJvmBits() throws Exception {
        Map<String, Tensor> expected = singleJvm(65, 1, 2);
        for (Exchange exchange : Exchange.values()) {
            SparkTrainer.Result r = spark(1).exchange(exchange).build().fit(rows(65), "pixels", "label");
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                assertArrayEquals(e.getValue().data(), r.weights().tensors().get(e.getKey()).data(), 0f,
                        exchange + " " + e.getKey());
            }
        }
    }

    /**
     * What {@code striate train} adds to the step: a learning-rate schedule, Keras-style L2 on the
     * kernels, seeded augmentation (shifts, flips, rotations) and normalization; with all of them the
     * 2-task run still equals the single JVM's bit for bit, and without augmentation the single JVM
     * gives other bits (so the augmentation took part).
     */
    @Test
    void scheduleL2AugmentationAndNormalizationGiveTheSingleJvmBits() throws Exception {
        Augmentation augmentation = new Augmentation(2, true, 10);
        Normalization normalization = Normalization.of(new double[] {0.13}, new double[] {0.31});
        Map<String, Tensor> expected = singleJvm(ROWS, 2, 2, b -> b.schedule(new StepSchedule(0.002, 1))
                .kernelL2(1e-3).augmentation(augmentation).normalization(normalization));
        SparkTrainer.Result r = spark(2).schedule(new StepSchedule(0.002, 1)).kernelL2(1e-3).augmentation(augmentation)
                .normalization(normalization).imageShape(1, 28, 28).build().fit(rows(ROWS), "pixels", "label");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().data(), r.weights().tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
        assertEquals(new StepSchedule(0.002, 1).lr(1), r.history().get(1).lr());
        Map<String, Tensor> plain = singleJvm(ROWS, 2, 2, b -> b.schedule(new StepSchedule(0.002, 1))
                .kernelL2(1e-3).normalization(normalization));
        assertFalse(expected.entrySet().stream().allMatch(
                e -> Arrays.equals(e.getValue().data(), plain.get(e.getKey()).data())));
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> spark(1).augmentation(augmentation)
                .build()).code());
    }

    @Test
    void settingsThatCannotRunAreRefused() {
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> spark(1).tasks(3).build()
                .fit(rows(8), "pixels", "label")).code());
        assertEquals("E804", assertThrows(StriateSparkException.class, () -> spark(1).tasks(0).build()).code());
        assertEquals("E801", assertThrows(StriateSparkException.class, () -> SparkTrainer.builder("no.Such", initial)
                .optimizer(rmsprop()).build().fit(rows(8), "pixels", "label")).code());
        assertEquals("E802", assertThrows(StriateSparkException.class, () -> spark(1).build()
                .fit(rows(8), "pixels", "pixels")).code());
    }
}
