package dev.striate.train;

import dev.striate.data.Batch;
import dev.striate.data.Dataset;
import dev.striate.data.MiniBatches;
import dev.striate.data.Split;
import dev.striate.optim.Optimizer;
import dev.striate.optim.schedule.Schedule;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model-independent training loop: epochs of seeded mini-batches, each split across worker
 * threads (forward, loss, backward per slice, gradients summed in slice order), an optimizer
 * step per batch (which adds the optimizer's L1/L2 {@link dev.striate.optim.Regularization}) and a
 * learning rate per epoch from the schedule; validation, a progress bar, a
 * CSV/JSON log and an atomic checkpoint after every epoch. A seeded run is reproducible bit for
 * bit; {@link TrainingConfig#resume()} continues from the checkpoint to the same final weights
 * as an uninterrupted run; a {@link StopSignal} request (Ctrl-C, via
 * {@link StopSignal#installShutdownHook}) stops at the next batch boundary with a checkpoint.
 */
public final class Trainer {
    private final TrainableModel model;
    private final Loss loss;
    private final TrainingConfig config;

    /** A trainer of {@code model} (trained in place) with {@code loss}. */
    public Trainer(TrainableModel model, Loss loss, TrainingConfig config) {
        this.model = model;
        this.loss = loss;
        this.config = config;
    }

    /**
     * Trains on {@code data} (or the part of it not held out for validation).
     *
     * @throws TrainingException when the data does not fit the model, or a checkpoint to resume
     *     from is missing, corrupted or of another configuration
     * @throws IOException when a checkpoint or log cannot be written
     */
    public TrainingResult train(Dataset data) throws IOException {
        try {
            return run(data);
        } finally {
            config.stop().stopped();
        }
    }

    private TrainingResult run(Dataset data) throws IOException {
        Dataset train = data;
        Dataset validation = config.validation();
        if (validation == null && config.validationFraction() > 0) {
            Split split = Split.random(data, config.validationFraction(), Seeds.split(config.seed()));
            train = split.train();
            validation = split.validation();
        }
        Evaluator.checkSizes(model, train, config.targets());
        if (validation != null) {
            Evaluator.checkSizes(model, validation, config.targets());
        }
        if (train.size() == 0) {
            throw new TrainingException("no training images");
        }
        Optimizer optimizer = config.optimizer().get();
        Schedule schedule = config.effectiveSchedule(optimizer.learningRate());
        String fingerprint = Fingerprint.of(model, optimizer, schedule, config, train, validation).toString();
        MiniBatches batches = MiniBatches.builder(train, config.batchSize()).seed(config.seed())
                .augmentation(config.augmentation()).normalization(config.normalization()).build();
        ProgressBar bar = new ProgressBar(config.progress(), config.progressMode(), config.epochs());
        Path checkpoint = config.checkpointDir() == null ? null : CheckpointFile.in(config.checkpointDir());
        TrainingLog log = config.logFile() == null ? null : new TrainingLog(config.logFile());

        int startEpoch = 0;
        int startBatch = 0;
        Checkpoint.EpochTotals startTotals = Checkpoint.EpochTotals.ZERO;
        List<EpochStats> history = new ArrayList<>();
        if (config.resume()) {
            Checkpoint c = load(checkpoint, fingerprint);
            c.restore(model, optimizer);
            startEpoch = c.epoch();
            startBatch = c.batch();
            startTotals = c.partial();
            history.addAll(c.history());
            bar.message("resuming from " + checkpoint + " at epoch " + (startEpoch + 1) + ", batch " + startBatch);
        }

        float[][] params = model.parameters().stream().map(Tensor::data).toArray(float[][]::new);
        boolean[] kernels = kernels(model.parameters());
        try (WorkerPool pool = new WorkerPool(model, config.batchSize(), config.threads(), config.slices())) {
            TrainStep step = new TrainStep(pool, loss, config.targets(), config.imageTargets(), config.seed());
            Evaluator evaluator = new Evaluator(pool, config.batchSize());
            Batch batch = null;
            for (int e = startEpoch; e < config.epochs(); e++) {
                double lr = schedule.lr(e);
                optimizer.setLearningRate(lr);
                int count = batches.batchCount();
                int first = e == startEpoch ? startBatch : 0;
                Running running = new Running(e == startEpoch ? startTotals : Checkpoint.EpochTotals.ZERO,
                        config.targets() != Targets.IMAGES);
                bar.startEpoch(e, count);
                for (int b = first; b < count; b++) {
                    if (config.stop().isRequested()) {
                        return stop(checkpoint, fingerprint, e, b, running.totals(), history, optimizer, bar);
                    }
                    batch = batches.batch(e, b, batch); // the previous batch's arrays: the step is done with them
                    TrainStep.Result r = step.run(batch, Seeds.batch(config.seed(), e, b), e);
                    addKernelL2(params, step.gradients(), kernels, (float) (2 * config.kernelL2()));
                    optimizer.step(params, step.gradients());
                    running.add(r);
                    if (config.listener() != null) {
                        config.listener().afterBatch(e, b, r.loss());
                    }
                    bar.batch(b + 1, b + 1 - first, running.secondsThisRun(), running.loss(), running.accuracy());
                }
                EpochStats stats = finishEpoch(e, lr, running, evaluator, validation);
                history.add(stats);
                if (checkpoint != null) {
                    CheckpointFile.write(checkpoint, Checkpoint.capture(fingerprint, e + 1, 0,
                            Checkpoint.EpochTotals.ZERO, history, model, optimizer));
                }
                if (log != null) {
                    log.write(history);
                }
                bar.endEpoch(stats);
                if (config.epochListener() != null) {
                    config.epochListener().afterEpoch(e, model);
                }
            }
        }
        return new TrainingResult(history, false, Math.max(config.epochs(), startEpoch), 0);
    }

    /** Validates (when there is a validation set) and sums the epoch up. */
    private EpochStats finishEpoch(int epoch, double lr, Running running, Evaluator evaluator, Dataset validation) {
        double trainSeconds = running.totals().seconds();
        long t0 = System.nanoTime();
        double valLoss = Double.NaN;
        double valAccuracy = Double.NaN;
        if (validation != null && validation.size() > 0) {
            Evaluation v = evaluator.evaluate(validation, config.normalization(), loss, config.targets(), null,
                    config.imageTargets(), config.seed());
            valLoss = v.loss();
            valAccuracy = v.accuracy();
        }
        return new EpochStats(epoch + 1, lr, running.loss(), running.accuracy(), valLoss, valAccuracy,
                trainSeconds + seconds(t0), running.seen / Math.max(trainSeconds, 1e-9));
    }

    /** The running totals of the epoch in progress, starting from a checkpoint's when resumed mid-epoch. */
    private static final class Running {
        private final double secondsBefore;
        private final long start = System.nanoTime();
        private final boolean classes;
        private double lossSum;
        private long correct;
        private long seen;

        Running(Checkpoint.EpochTotals before, boolean classes) {
            this.classes = classes;
            this.secondsBefore = before.seconds();
            this.lossSum = before.lossSum();
            this.correct = before.correct();
            this.seen = before.seen();
        }

        void add(TrainStep.Result r) {
            lossSum += r.loss() * r.size();
            correct += r.correct();
            seen += r.size();
        }

        double loss() {
            return lossSum / seen;
        }

        double accuracy() {
            return classes ? (double) correct / seen : Double.NaN;
        }

        double secondsThisRun() {
            return seconds(start);
        }

        Checkpoint.EpochTotals totals() {
            return new Checkpoint.EpochTotals(lossSum, correct, seen, secondsBefore + secondsThisRun());
        }
    }

    private Checkpoint load(Path checkpoint, String fingerprint) throws IOException {
        if (!Files.exists(checkpoint)) {
            throw new TrainingException("cannot resume: no checkpoint " + checkpoint);
        }
        Checkpoint c = CheckpointFile.read(checkpoint);
        List<String> diffs = Fingerprint.parse(fingerprint).differences(Fingerprint.parse(c.fingerprint()));
        if (!diffs.isEmpty()) {
            throw new TrainingException("cannot resume from " + checkpoint
                    + ": it belongs to another configuration (" + String.join("; ", diffs) + ")");
        }
        return c;
    }

    private TrainingResult stop(Path checkpoint, String fingerprint, int epoch, int batch,
            Checkpoint.EpochTotals totals, List<EpochStats> history, Optimizer optimizer, ProgressBar bar)
            throws IOException {
        if (checkpoint != null) {
            CheckpointFile.write(checkpoint, Checkpoint.capture(fingerprint, epoch, batch, totals, history, model,
                    optimizer));
            bar.message("stopped at epoch " + (epoch + 1) + ", batch " + batch + "; checkpoint saved to " + checkpoint
                    + " (continue with --resume)");
        } else {
            bar.message("stopped at epoch " + (epoch + 1) + ", batch " + batch + "; no checkpoint directory, not saved");
        }
        return new TrainingResult(history, true, epoch, batch);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The model's parameters and buffers as a weight set (live arrays, not copies). */
    public static WeightSet weights(TrainableModel model) {
        List<Tensor> all = new ArrayList<>(model.parameters());
        all.addAll(model.buffers());
        return WeightSet.of(model.name(), all);
    }

    /** Writes the model's parameters and buffers in Striate's weights format (see {@link WeightsFile}). */
    public static void writeWeights(TrainableModel model, Path manifest) throws IOException {
        WeightsFile.write(manifest, weights(model));
    }

    /** Which parameters are kernels for {@link TrainingConfig#kernelL2()}: {@code *.weight} of rank 2 or more. */
    public static boolean[] kernels(List<Tensor> parameters) {
        boolean[] k = new boolean[parameters.size()];
        for (int p = 0; p < k.length; p++) {
            Tensor t = parameters.get(p);
            k[p] = t.name().endsWith(".weight") && t.shape().length >= 2;
        }
        return k;
    }

    /** Adds {@code twoLambda * w} to the gradient of every kernel (Keras' L2 regularizer's gradient). */
    public static void addKernelL2(float[][] params, float[][] grads, boolean[] kernels, float twoLambda) {
        if (twoLambda == 0) {
            return;
        }
        for (int p = 0; p < params.length; p++) {
            if (kernels[p]) {
                float[] w = params[p];
                float[] g = grads[p];
                for (int i = 0; i < w.length; i++) {
                    g[i] += twoLambda * w[i];
                }
            }
        }
    }
}
