package dev.striate.spark;

import dev.striate.Compiler;
import dev.striate.data.FloatImageDataset;
import dev.striate.data.ImageShape;
import dev.striate.diag.Diagnostics;
import dev.striate.optim.RmsProp;
import dev.striate.passes.InitWeights;
import dev.striate.spark.models.SeedCnn;
import dev.striate.spark.models.SeedCnnTrainer;
import dev.striate.train.EpochStats;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.weights.WeightSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The throughput figures of docs/spark.md (not a test: run by hand, see there). Scoring: the
 * 10,000 images of {@link Digits} through SeedCnn, single-JVM {@code predictBatch} against
 * {@code Scoring.score} in Spark local[1] and local[2] (data cached first, results written to
 * Spark's no-op sink), runs alternating; training: one epoch of {@code train} images (6,400 unless given), the runtime's
 * Trainer (2 threads, 2 slices) against SparkTrainer in local[2] (2 tasks, each exchange), batch 64, RMSprop.
 */
public final class SparkThroughput {
    private static int train = 6400;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        boolean trainOnly = args.length > 1 && args[1].equals("train");     // SparkThroughput ROUNDS train [IMAGES]
        train = args.length > 2 ? Integer.parseInt(args[2]) : train;
        Digits digits = Digits.load();
        System.out.println("images: " + digits.images.length + (digits.mnist ? " (MNIST test set)" : " (stand-in)"));
        for (int round = 0; round < (trainOnly ? 0 : rounds); round++) {
            System.out.printf("round %d: single JVM predictBatch %.0f images/s%n", round, single(digits));
            for (String master : new String[] {"local[1]", "local[2]"}) {
                System.out.printf("round %d: Spark %s score %.0f images/s%n", round, master, spark(master, digits));
            }
            System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
        WeightSet initial = InitWeights.run(Compiler.loadModel(Path.of(System.getProperty("striate.examples",
                "../examples"), "mnist", "seed_cnn.cnn"), null, new Diagnostics()), 0);
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d: single JVM train %.0f images/s%n", round, trainSingle(digits, initial));
            for (Exchange exchange : Exchange.values()) {
                System.out.printf("round %d: Spark local[2] train, %s exchange: %s%n", round, exchange,
                        trainSpark(digits, initial, exchange));
            }
            System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static double single(Digits d) {
        SeedCnn model = SeedCnn.load();
        float[][] out = new float[d.images.length][SeedCnn.OUTPUT_SIZE];
        model.predictBatch(d.images, out);          // warm-up
        long t0 = System.nanoTime();
        model.predictBatch(d.images, out);
        return d.images.length / ((System.nanoTime() - t0) / 1e9);
    }

    private static SparkSession session(String master) {
        SparkSession s = SparkSession.builder().master(master).appName("throughput").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    private static Dataset<Row> frame(SparkSession s, Digits d, int n, boolean labels, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Float> px = new ArrayList<>(784);
            for (float v : d.images[i]) {
                px.add(v);
            }
            rows.add(labels ? RowFactory.create(px, d.labels[i]) : RowFactory.create(i, px));
        }
        StructType schema = labels
                ? new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false))
                        .add("label", DataTypes.IntegerType)
                : new StructType().add("id", DataTypes.IntegerType)
                        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false));
        return s.createDataFrame(rows, schema).repartition(partitions);
    }

    private static double spark(String master, Digits d) {
        SparkSession s = session(master);
        try {
            Dataset<Row> df = frame(s, d, d.images.length, false, 4).cache();
            df.count();
            Scoring.score(df, "pixels", SeedCnn.class.getName()).write().format("noop").mode("overwrite").save();
            long t0 = System.nanoTime();
            Scoring.score(df, "pixels", SeedCnn.class.getName()).write().format("noop").mode("overwrite").save();
            return d.images.length / ((System.nanoTime() - t0) / 1e9);
        } finally {
            s.stop();
        }
    }

    private static double trainSingle(Digits d, WeightSet initial) throws Exception {
        int n = Math.min(train, d.images.length);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d.images[i], 0, pixels, i * 784, 784);
            labels[i] = d.labels[i];
        }
        SeedCnnTrainer model = new SeedCnnTrainer(TrainState.fromWeights(initial));
        TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(64)
                .optimizer(() -> RmsProp.builder().lr(0.001).build()).threads(2).slices(2).progress(null).build();
        long t0 = System.nanoTime();
        new Trainer(model, new SoftmaxCrossEntropy(), config).train(new FloatImageDataset(new ImageShape(1, 28, 28),
                pixels, labels, Arrays.asList("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static String trainSpark(Digits d, WeightSet initial, Exchange exchange) {
        SparkSession s = session("local[2]");
        try {
            int n = Math.min(train, d.images.length);
            Dataset<Row> df = frame(s, d, n, true, 2);
            SparkTrainer.Result r = SparkTrainer.builder(SeedCnnTrainer.class.getName(), initial).tasks(2)
                    .batchSize(64).epochs(2).optimizer(() -> RmsProp.builder().lr(0.001).build()).exchange(exchange).build()
                    .fit(df, "pixels", "label");
            StringBuilder b = new StringBuilder();
            for (EpochStats e : r.history()) {
                b.append(String.format("epoch %d %.0f images/s (%.1f s); ", e.epoch(), e.imagesPerSecond(), e.seconds()));
            }
            return b.toString();
        } finally {
            s.stop();
        }
    }
}
