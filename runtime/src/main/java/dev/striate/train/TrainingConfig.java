package dev.striate.train;

import dev.striate.data.Augmentation;
import dev.striate.data.Dataset;
import dev.striate.data.Normalization;
import dev.striate.optim.Optimizer;
import dev.striate.optim.schedule.ConstantSchedule;
import dev.striate.optim.schedule.Schedule;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How {@link Trainer} trains: epochs, batch size, optimizer and learning-rate schedule, seed,
 * threads, validation, augmentation, log file and checkpoints. Build with {@link #builder()}.
 *
 * <p>A batch is cut into {@code slices} parts (default: one per thread), each run by its own
 * model worker; the gradients are summed slice 0 + slice 1 + ... So the numbers depend on the
 * seed and the slice count, never on the thread count or timing: the same seed and slices give
 * bit-identical weights on 1 or 2 threads.
 *
 * @param epochs the number of epochs to train in total (a resumed run continues up to it)
 * @param batchSize images per mini-batch
 * @param optimizer creates the optimizer (called once per run)
 * @param schedule the learning rate per epoch, or null for the optimizer's own rate throughout
 * @param warmupEpochs epochs of linear warm-up before the schedule (0 for none)
 * @param warmupStartFactor the warm-up's first factor of the base rate, in [0, 1]
 * @param seed seeds the shuffling, augmentation, validation split and dropout
 * @param threads worker threads, {@code >= 1}
 * @param slices parts each batch is cut into, {@code >= 1}
 * @param validationFraction the fraction of the training data held out for validation when
 *     {@code validation} is null (0 for no validation)
 * @param validation a separate validation set, or null
 * @param augmentation applied to training images (not validation), {@link Augmentation#NONE} for off
 * @param normalization applied to every image after augmentation, or null
 * @param logFile the CSV log (a JSON-lines log goes beside it, {@code .jsonl}), or null
 * @param checkpointDir where checkpoints go, or null for none
 * @param resume whether to continue from the checkpoint in {@code checkpointDir}
 * @param targets how labels reach the loss: class indices or one-hot rows
 * @param progress where the progress bar and epoch summaries go, or null for silence
 * @param progressMode how progress is drawn
 * @param stop polled between batches; a request stops the run with a checkpoint
 * @param listener told after every batch (tests, tools), or null
 * @param kernelL2 Keras-style L2 on kernels only ({@code kernel_regularizer=l2(kernelL2)}): the loss gains
 *     {@code kernelL2 * sum(w^2)} over every kernel (a parameter named {@code *.weight} of rank 2 or more,
 *     so not biases or batch-norm scales), so {@code 2 * kernelL2 * w} is added to those gradients before
 *     the optimizer step (0 for none; the reported loss does not include the penalty)
 * @param epochListener told after every epoch, or null
 * @param imageTargets how image targets are made when {@code targets} is {@link Targets#IMAGES}
 *     (required then, null otherwise)
 */
public record TrainingConfig(int epochs, int batchSize, Supplier<Optimizer> optimizer, Schedule schedule,
        int warmupEpochs, double warmupStartFactor, long seed, int threads, int slices, double validationFraction,
        Dataset validation, Augmentation augmentation, Normalization normalization, Path logFile,
        Path checkpointDir, boolean resume, Targets targets, PrintStream progress, ProgressMode progressMode, StopSignal stop,
        BatchListener listener, double kernelL2,
        EpochListener epochListener, ImageTargets imageTargets) {

    /** How progress is shown. */
    public enum ProgressMode {
        /** Carriage-return updates when a console is attached, periodic lines otherwise. */
        AUTO,
        /** One line redrawn in place with carriage returns. */
        TERMINAL,
        /** A plain line about every tenth of an epoch (logs, CI). */
        LINES,
        /** Only the per-epoch summaries. */
        SUMMARY
    }

    /** Told after each training batch; {@code epoch} and {@code batch} count from 0. */
    @FunctionalInterface
    public interface BatchListener {
        /** Called after the optimizer step of batch {@code batch} of epoch {@code epoch}. */
        void afterBatch(int epoch, int batch, double loss);
    }

    /** Told after each finished epoch (its checkpoint written), e.g. to save a snapshot of the weights. */
    public interface EpochListener {
        /** Called after epoch {@code epoch} (from 0) with the model's current weights. */
        void afterEpoch(int epoch, TrainableModel model);
    }

    /** Checks the values. */
    public TrainingConfig {
        check(epochs >= 1, "epochs must be at least 1, got " + epochs);
        check(batchSize >= 1, "the batch size must be at least 1, got " + batchSize);
        check(optimizer != null, "an optimizer is required");
        check(warmupEpochs >= 0, "warm-up epochs must not be negative, got " + warmupEpochs);
        check(warmupStartFactor >= 0 && warmupStartFactor <= 1,
                "the warm-up start factor must be in [0, 1], got " + warmupStartFactor);
        check(threads >= 1, "threads must be at least 1, got " + threads);
        check(slices >= 1, "slices must be at least 1, got " + slices);
        check(validationFraction >= 0 && validationFraction < 1,
                "the validation fraction must be in [0, 1), got " + validationFraction);
        check(!resume || checkpointDir != null, "resuming needs a checkpoint directory");
        check(augmentation != null, "augmentation must not be null (use Augmentation.NONE)");
        check(targets != null, "targets must not be null");
        check((targets == Targets.IMAGES) == (imageTargets != null),
                "image targets go with Targets.IMAGES, and only with it");
        check(progressMode != null, "progressMode must not be null");
        check(stop != null, "stop must not be null");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the defaults: 1 epoch, batch 32, 2 threads, seed 0, no validation, no files. */
    public static Builder builder() {
        return new Builder();
    }

    /** The learning-rate schedule including warm-up; {@code initialLr} is the optimizer's rate when no schedule was given. */
    public Schedule effectiveSchedule(double initialLr) {
        Schedule s = schedule != null ? schedule : new ConstantSchedule(initialLr);
        return warmupEpochs > 0 ? s.withWarmup(warmupEpochs, warmupStartFactor) : s;
    }

    /** Collects a {@link TrainingConfig}. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 32;
        private Supplier<Optimizer> optimizer;
        private Schedule schedule;
        private int warmupEpochs;
        private double warmupStartFactor = 1.0 / 3;
        private long seed;
        private int threads = 2;
        private int slices;
        private double validationFraction;
        private Dataset validation;
        private Augmentation augmentation = Augmentation.NONE;
        private Normalization normalization;
        private Path logFile;
        private Path checkpointDir;
        private boolean resume;
        private Targets targets = Targets.LABELS;
        private PrintStream progress = System.err;
        private ProgressMode progressMode = ProgressMode.AUTO;
        private StopSignal stop;
        private BatchListener listener;
        private double kernelL2;
        private EpochListener epochListener;
        private ImageTargets imageTargets;

        private Builder() {
        }

        /** Total epochs (default 1). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Images per batch (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Creates the optimizer (required), e.g. {@code () -> RmsProp.builder().lr(0.001).build()}. */
        public Builder optimizer(Supplier<Optimizer> optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** The learning rate per epoch (default: the optimizer's rate, constant). */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** A linear warm-up over {@code epochs} epochs from {@code startFactor} times the base rate (default none). */
        public Builder warmup(int epochs, double startFactor) {
            this.warmupEpochs = epochs;
            this.warmupStartFactor = startFactor;
            return this;
        }

        /** Told after every epoch (default none). */
        public Builder epochListener(EpochListener epochListener) {
            this.epochListener = epochListener;
            return this;
        }

        /** Keras-style L2 on kernels only (default 0: none); see {@link TrainingConfig#kernelL2()}. */
        public Builder kernelL2(double kernelL2) {
            if (!(kernelL2 >= 0) || Double.isInfinite(kernelL2)) {
                throw new IllegalArgumentException("kernel L2 must be finite and >= 0, got " + kernelL2);
            }
            this.kernelL2 = kernelL2;
            return this;
        }

        /** The seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads (default 2). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Parts each batch is cut into (default: the thread count). */
        public Builder slices(int slices) {
            this.slices = slices;
            return this;
        }

        /** Hold out this fraction of the training data for validation (default 0). */
        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /** Validate on this data set instead of a split. */
        public Builder validation(Dataset validation) {
            this.validation = validation;
            return this;
        }

        /** Augment training images (default {@link Augmentation#NONE}). */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Normalize every image (default none). */
        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** The CSV log; a JSON-lines log is written beside it (default none). */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** The checkpoint directory (default none). */
        public Builder checkpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        /** Continue from the checkpoint in the checkpoint directory (default false). */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Image-to-image training (default none): the targets are the input images, as
         * {@code imageTargets} makes them; sets {@link #targets} to {@link Targets#IMAGES}.
         */
        public Builder imageTargets(ImageTargets imageTargets) {
            this.imageTargets = imageTargets;
            this.targets = Targets.IMAGES;
            return this;
        }

        /** How labels reach the loss (default {@link Targets#LABELS}, class indices). */
        public Builder targets(Targets targets) {
            this.targets = targets;
            return this;
        }

        /** Where progress goes (default {@code System.err}; null for silence). */
        public Builder progress(PrintStream progress) {
            this.progress = progress;
            return this;
        }

        /** How progress is drawn (default {@link ProgressMode#AUTO}). */
        public Builder progressMode(ProgressMode mode) {
            this.progressMode = mode;
            return this;
        }

        /** The stop signal to poll (default a fresh one). */
        public Builder stop(StopSignal stop) {
            this.stop = stop;
            return this;
        }

        /** Told after each batch (default none). */
        public Builder listener(BatchListener listener) {
            this.listener = listener;
            return this;
        }

        /** The configuration; throws {@link IllegalArgumentException} for invalid values. */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, optimizer, schedule, warmupEpochs, warmupStartFactor, seed,
                    threads, slices == 0 ? threads : slices, validationFraction, validation, augmentation,
                    normalization, logFile, checkpointDir, resume, targets, progress, progressMode,
                    stop != null ? stop : new StopSignal(), listener, kernelL2, epochListener, imageTargets);
        }
    }
}
