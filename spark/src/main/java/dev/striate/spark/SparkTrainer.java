package dev.striate.spark;

import dev.striate.data.Augmentation;
import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.data.Shuffle;
import dev.striate.data.Split;
import dev.striate.optim.schedule.ConstantSchedule;
import dev.striate.optim.schedule.Schedule;
import dev.striate.optim.Optimizer;
import dev.striate.train.Checkpoint;
import dev.striate.train.EpochStats;
import dev.striate.train.ImageTargets;
import dev.striate.train.ShardStep;
import dev.striate.train.Trainer;
import dev.striate.train.TrainableModel;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import dev.striate.weights.WeightSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Synchronous data-parallel training of a generated trainer on a DataFrame, in Spark's barrier
 * execution mode (docs/spark.md). Each epoch the driver shuffles the samples as
 * {@code striate train} does (the same seeded order) and sends slice {@code t} of every batch to
 * task {@code t}; the {@code tasks} tasks of a barrier stage then run the batches in lockstep
 * ({@link EpochTask}): per batch, slice gradients exchanged with {@code allGather}, summed in task
 * order, the same optimizer step everywhere. The result equals {@code striate train}'s (the
 * runtime's {@link Trainer} with {@code slices = tasks}, the same batch size, seed and optimizer)
 * bit for bit for a model without batch norm; after every epoch the driver writes a checkpoint
 * in {@code striate train}'s format and can resume from it.
 */
public final class SparkTrainer {
    private final Builder b;

    private SparkTrainer(Builder b) {
        this.b = b;
    }

    /** A trainer of the generated trainer class {@code trainerClass} starting from {@code initial}. */
    public static Builder builder(String trainerClass, WeightSet initial) {
        return new Builder(trainerClass, initial);
    }

    /** The trained weights and the epochs' numbers (loss, accuracy, time, images per second). */
    public record Result(WeightSet weights, List<EpochStats> history) {
    }

    /**
     * Trains on {@code data}: {@code inputColumn} holds the model's inputs ({@code array<float>} or
     * {@code array<double>}) or image files ({@code binary}, decoded to the shape set by
     * {@link Builder#imageShape}); {@code labelColumn} the class index (an integer type), or null
     * with {@link Builder#imageTargets} (the target is the input). Rows are numbered in the
     * DataFrame's order, which must be deterministic for a reproducible run. With
     * {@link Builder#validationFraction} the rows {@code striate train --validation} would hold out
     * are scored after every epoch instead of trained on.
     */
    public Result fit(Dataset<Row> data, String inputColumn, String labelColumn) {
        return fit(data, null, inputColumn, labelColumn);
    }

    /**
     * As {@link #fit(Dataset, String, String)}, scoring {@code validation} (the same columns; null
     * for none) after every epoch, as {@code striate train} scores a separate validation set.
     */
    public Result fit(Dataset<Row> data, Dataset<Row> validation, String inputColumn, String labelColumn) {
        if (validation != null && b.validationFraction > 0) {
            throw new StriateSparkException(StriateSparkException.TRAINING,
                    "give either a validation DataFrame or a validation fraction, not both");
        }
        TrainableModel model = b.spec(0, 0).newModel(TrainState.fromWeights(b.initial));
        Optimizer optimizer = b.optimizer.get();
        int inputSize = model.inputSize();
        if (b.channels != 0 && (long) b.channels * b.height * b.width != inputSize) {
            throw new StriateSparkException(StriateSparkException.TRAINING, "imageShape(" + b.channels + ", " + b.height
                    + ", " + b.width + ") does not hold the model's " + inputSize + " inputs");
        }
        if (b.imageTargets != null && model.outputSize() != inputSize) {
            throw new StriateSparkException(StriateSparkException.TRAINING, "image targets need one output per input"
                    + " value: the model has " + model.outputSize() + " outputs and " + inputSize + " inputs");
        }
        if ((b.imageTargets == null) == (labelColumn == null)) {
            throw new StriateSparkException(StriateSparkException.TRAINING, b.imageTargets == null
                    ? "a label column is needed (or imageTargets, to train image to image)"
                    : "with image targets the input is the target: pass no label column (null)");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        if (b.tasks > jsc.defaultParallelism()) {
            throw new StriateSparkException(StriateSparkException.TRAINING, b.tasks + " tasks need " + b.tasks
                    + " task slots at once (a barrier stage), the cluster offers " + jsc.defaultParallelism());
        }
        JavaRDD<Sample> rows = TrainingRows.decode(data, inputColumn, labelColumn, model, b.channels, b.height, b.width)
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Sample> separate = validation == null ? null
                : TrainingRows.decode(validation, inputColumn, labelColumn, model, b.channels, b.height, b.width)
                        .persist(StorageLevel.MEMORY_AND_DISK());
        Broadcast<int[]> codes = null;
        try {
            int size = TrainingRows.checkedSize(rows.count(), "data");
            JavaRDD<Sample> train = rows;
            JavaRDD<Sample> held = separate;
            int heldSize = separate == null ? 0 : TrainingRows.checkedSize(separate.count(), "validation");
            if (b.validationFraction > 0) {          // striate train's split: Split.random with the run's split seed
                int[][] parts = Split.randomIndices(size, b.validationFraction, ShardStep.splitSeed(b.seed));
                int[] code = new int[size];         // a training row's index in the training part, or -1 - its validation index
                for (int i = 0; i < parts[0].length; i++) {
                    code[parts[0][i]] = i;
                }
                for (int i = 0; i < parts[1].length; i++) {
                    code[parts[1][i]] = -1 - i;
                }
                Broadcast<int[]> c = jsc.broadcast(code);
                codes = c;
                train = rows.filter(r -> c.value()[(int) r.index()] >= 0)
                        .map(r -> new Sample(c.value()[(int) r.index()], r.label(), r.values()));
                held = rows.filter(r -> c.value()[(int) r.index()] < 0)
                        .map(r -> new Sample(-1 - c.value()[(int) r.index()], r.label(), r.values()));
                size = parts[0].length;
                heldSize = parts[1].length;
                if (size == 0) {
                    throw new StriateSparkException(StriateSparkException.TRAINING, "validation fraction "
                            + b.validationFraction + " leaves no rows to train on");
                }
            }
            return run(jsc, train, size, heldSize == 0 ? null : held, heldSize, model, optimizer);
        } finally {
            rows.unpersist(false);
            if (separate != null) {
                separate.unpersist(false);
            }
            if (codes != null) {
                codes.destroy();
            }
        }
    }

    private Result run(JavaSparkContext jsc, JavaRDD<Sample> samples, int size, JavaRDD<Sample> held, int heldSize,
            TrainableModel model, Optimizer optimizer) {
        TrainSpec spec = b.spec(size, heldSize);
        Schedule schedule = b.schedule != null ? b.schedule : new ConstantSchedule(optimizer.learningRate());
        StringBuilder lrs = new StringBuilder();
        for (int e = 0; e < Math.max(5, b.epochs); e++) {
            lrs.append(e == 0 ? "" : ",").append(schedule.lr(e));
        }
        String fingerprint = "spark trainer=" + b.trainerClass + " tasks=" + b.tasks + " batch=" + b.batchSize
                + " seed=" + b.seed + " rows=" + size + " optimizer=" + optimizer.name() + " lr=" + optimizer.learningRate()
                + (b.schedule == null ? "" : " schedule=" + lrs.substring(0, Math.min(lrs.length(), 200)))
                + (b.kernelL2 == 0 ? "" : " l2=" + b.kernelL2)
                + (b.augmentation.isNone() ? "" : " augmentation=" + b.augmentation)
                + (b.normalization == null ? "" : " normalization=" + b.normalization)
                + (b.imageTargets == null ? "" : " target=" + b.imageTargets)
                + (heldSize == 0 ? "" : " validation_rows=" + heldSize
                        + (b.validationFraction > 0 ? " validation=" + b.validationFraction : ""));
        CheckpointStore checkpoint = b.checkpointDir == null ? null
                : CheckpointStore.of(b.checkpointDir, jsc.hadoopConfiguration());
        List<EpochStats> history = new ArrayList<>();
        TrainState state = TrainState.initial(model, optimizer);
        if (b.resume && checkpoint != null && checkpoint.exists()) {
            Checkpoint saved = checkpoint.read();
            if (!saved.fingerprint().equals(fingerprint)) {
                throw new StriateSparkException(StriateSparkException.CHECKPOINT, checkpoint.where()
                        + " belongs to another run (" + saved.fingerprint() + "), not " + fingerprint);
            }
            state = TrainState.of(saved);
            history.addAll(saved.history());
        }
        int tasks = b.tasks;
        int batch = b.batchSize;
        // the validation rows go to the task scoring their slice of each evaluation batch, once for the run
        JavaPairRDD<Integer, Slot> heldPlaced = held == null ? null : held.mapToPair(s -> {
            int p = (int) s.index();
            return new Tuple2<>(taskOf(p, batch, heldSize, tasks), new Slot(p, s, true));
        }).partitionBy(new HashPartitioner(tasks)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            for (int e = state.epoch; e < b.epochs; e++) {
                long t0 = System.nanoTime();
                int[] position = inverse(Shuffle.permutation(size, Shuffle.seed(b.seed, e, -1)));
                Broadcast<int[]> positions = jsc.broadcast(position);
                Broadcast<TrainState> start = jsc.broadcast(state);
                JavaPairRDD<Integer, Slot> placed = samples.mapToPair(s -> {
                    int p = positions.value()[(int) s.index()];
                    return new Tuple2<>(taskOf(p, batch, size, tasks), new Slot(p, s, false));
                }).partitionBy(new HashPartitioner(tasks));
                JavaRDD<Slot> stage = (heldPlaced == null ? placed : placed.union(heldPlaced)).values();
                if (stage.getNumPartitions() != tasks) {
                    throw new IllegalStateException("the epoch's data has " + stage.getNumPartitions()
                            + " partitions for " + tasks + " tasks");
                }
                List<EpochTask.Out> outs = stage.rdd().barrier()
                        .mapPartitions(new EpochTask(spec, start, schedule.lr(e)), false,
                                scala.reflect.ClassTag$.MODULE$.apply(EpochTask.Out.class))
                        .toJavaRDD().collect();
                positions.destroy();
                start.destroy();
                EpochTask.Out[] byTask = new EpochTask.Out[tasks];
                for (EpochTask.Out o : outs) {
                    byTask[o.task()] = o;
                }
                for (EpochTask.Out o : outs) {
                    if (o.crc() != byTask[0].crc()) {
                        throw new IllegalStateException("task " + o.task() + " ended epoch " + (e + 1)
                                + " with other weights than task 0");
                    }
                }
                state = byTask[0].state();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] validation = validation(byTask, heldSize);
                history.add(new EpochStats(e + 1, schedule.lr(e), byTask[0].lossSum() / size,
                        b.imageTargets != null ? Double.NaN : (double) byTask[0].correct() / size,
                        validation[0], validation[1], seconds, size / seconds));
                if (checkpoint != null) {
                    checkpoint.write(state.checkpoint(fingerprint, history));
                }
            }
        } finally {
            if (heldPlaced != null) {
                heldPlaced.unpersist(false);
            }
        }
        TrainableModel trained = spec.newModel(state.tensors());
        return new Result(Trainer.weights(trained), List.copyOf(history));
    }

    /**
     * The validation loss and accuracy from the tasks' slices, summed as the single JVM's
     * {@code Evaluator} sums them: batch by batch, slice 0, 1, ... within a batch (absent slices
     * skipped), divided by the number of rows; NaN without validation rows (and the accuracy with
     * image targets).
     */
    private double[] validation(EpochTask.Out[] byTask, int heldSize) {
        if (heldSize == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int batch = b.batchSize;
        double lossSum = 0;
        long correct = 0;
        for (int v = 0; v * (long) batch < heldSize; v++) {
            int n = Math.min(batch, heldSize - v * batch);
            for (int t = 0; t < b.tasks; t++) {
                if (ShardStep.sliceStart(t + 1, n, b.tasks) > ShardStep.sliceStart(t, n, b.tasks)) {
                    lossSum += byTask[t].heldLoss()[v];
                }
            }
        }
        for (EpochTask.Out o : byTask) {
            correct += o.heldCorrect();
        }
        return new double[] {lossSum / heldSize, b.imageTargets != null ? Double.NaN : (double) correct / heldSize};
    }

    /** The task whose slice of its batch holds position {@code p} of {@code size} in batches of {@code batch}. */
    static int taskOf(int p, int batch, int size, int tasks) {
        int bi = p / batch;
        int k = p - bi * batch;
        int n = Math.min(batch, size - bi * batch);
        int t = 0;
        while (ShardStep.sliceStart(t + 1, n, tasks) <= k) {
            t++;
        }
        return t;
    }

    private static int[] inverse(int[] order) {
        int[] position = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
        return position;
    }

    /** The settings of a run. */
    public static final class Builder {
        private final String trainerClass;
        private final WeightSet initial;
        private int tasks = 2;
        private int batchSize = 64;
        private int epochs = 1;
        private long seed;
        private SerializableSupplier<Optimizer> optimizer;
        private SerializableSupplier<dev.striate.train.Loss> loss = SoftmaxCrossEntropy::new;
        private int channels;
        private int height;
        private int width;
        private String checkpointDir;
        private boolean resume;
        private Exchange exchange = Exchange.DIRECT;
        private Schedule schedule;
        private double kernelL2;
        private Augmentation augmentation = Augmentation.NONE;
        private Normalization normalization;
        private double validationFraction;
        private ImageTargets imageTargets;

        private Builder(String trainerClass, WeightSet initial) {
            this.trainerClass = trainerClass;
            this.initial = initial;
        }

        /** The number of tasks (barrier slots held for the whole epoch), default 2; at most the batch size. */
        public Builder tasks(int tasks) {
            this.tasks = tasks;
            return this;
        }

        /** The global batch size (default 64), cut into one slice per task. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The number of epochs (default 1). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The seed of the shuffling and dropout, as {@code striate train --seed} (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The optimizer, created on every task; its rate is the one of every epoch unless a {@link #schedule} is set. */
        public Builder optimizer(SerializableSupplier<Optimizer> optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** The loss (default softmax cross-entropy on class indices, for a trainer with logits out). */
        public Builder loss(SerializableSupplier<dev.striate.train.Loss> loss) {
            this.loss = loss;
            return this;
        }

        /** The model's image input, for a {@code binary} (image file) input column. */
        public Builder imageShape(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * Where the driver writes a checkpoint after every epoch: a directory URI of any file system
         * Hadoop reaches ({@code hdfs://nn/ckpt}, {@code s3a://bucket/ckpt}, {@code file:///mnt/ckpt};
         * without a scheme, a path of the default file system, {@code fs.defaultFS}).
         */
        public Builder checkpointDir(String uri) {
            this.checkpointDir = uri;
            return this;
        }

        /** {@link #checkpointDir(String)} of a local (or mounted) directory of the driver. */
        public Builder checkpointDir(Path dir) {
            return checkpointDir(dir.toAbsolutePath().toUri().toString());
        }

        /** Whether to continue from the checkpoint in {@link #checkpointDir} when there is one. */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** How the tasks exchange gradients (default {@link Exchange#DIRECT}); the results are the same bits either way. */
        public Builder exchange(Exchange exchange) {
            this.exchange = exchange;
            return this;
        }

        /**
         * The learning rate per epoch (with warm-up if wanted: {@code Warmup}), used on the driver
         * only; default: the optimizer's rate throughout. As {@code striate train}'s schedules.
         */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Keras-style L2 on kernels, {@code kernel_regularizer=l2(lambda)} (the train block's {@code kernel_l2}). */
        public Builder kernelL2(double lambda) {
            this.kernelL2 = lambda;
            return this;
        }

        /** Augmentation of every training sample, seeded by (seed, epoch, row) as in {@code striate train}; needs {@link #imageShape}. */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Normalization of every sample after augmentation ({@code striate train}'s {@code normalize}); needs {@link #imageShape}. */
        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /**
         * Holds out {@code round(rows * fraction)} rows, the ones {@code striate train
         * --validation=FRACTION} holds out with the same seed, and scores them after every epoch
         * (validation loss and accuracy in the history); default 0, none. Within {@code [0, 1)}.
         */
        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /**
         * Image-to-image training ({@code target = image}, optionally with {@code noise}): the target
         * of a row is its input, as {@code striate train} makes it; {@code fit} then takes no label column.
         */
        public Builder imageTargets(ImageTargets imageTargets) {
            this.imageTargets = imageTargets;
            return this;
        }

        /** The trainer; E804 for settings that cannot run. */
        public SparkTrainer build() {
            if (tasks < 1 || batchSize < 1 || epochs < 1 || tasks > batchSize || optimizer == null || initial == null
                    || exchange == null || augmentation == null || !(kernelL2 >= 0) || Double.isInfinite(kernelL2)) {
                throw new StriateSparkException(StriateSparkException.TRAINING, "tasks (" + tasks + "), batch size ("
                        + batchSize + ") and epochs (" + epochs + ") must be positive, tasks at most the batch size,"
                        + " and an optimizer and initial weights given; l2 finite and not negative");
            }
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new StriateSparkException(StriateSparkException.TRAINING, "the validation fraction must be in"
                        + " [0, 1), got " + validationFraction);
            }
            if ((normalization != null || !augmentation.isNone()) && channels == 0) {
                throw new StriateSparkException(StriateSparkException.TRAINING, "augmentation and normalization"
                        + " need the samples' image shape: set imageShape(channels, height, width)");
            }
            return new SparkTrainer(this);
        }

        TrainSpec spec(long size, int heldSize) {
            return new TrainSpec(trainerClass, tasks, batchSize, seed, size, heldSize, optimizer, loss, exchange,
                    kernelL2, augmentation, normalization, channels == 0 ? null : new ImageShape(channels, height, width),
                    imageTargets);
        }
    }
}
