package dev.striate.train;

/**
 * One slice of a training step, for a loop that sums the gradients itself (data-parallel training
 * across processes, such as the Spark barrier trainer of docs/spark.md). It is the arithmetic
 * {@link Trainer} runs for each slice of a batch: forward, loss and backward over the slice, with
 * the loss gradient scaled by {@code slice_n / batch_n} so that the slices' gradients, summed in
 * slice order 0 + 1 + ..., give the batch mean. A run with one process per slice, each slicing
 * the global batch by {@link #sliceStart}, seeding by {@link #batchSeed}, summing in slice order
 * and applying the same optimizer step, computes what {@link Trainer} computes with
 * {@link TrainingConfig#slices()} set to the number of processes, bit for bit (batch-norm running
 * statistics aside: only slice 0's worker updates them in either). {@link #evaluate} is the
 * per-slice arithmetic of {@link Evaluator} (inference mode), for validation the same way.
 */
public final class ShardStep {
    private final TrainableModel model;
    private final Loss loss;
    private final Targets targets;
    private final ImageTargets images;
    private final long runSeed;
    private final WorkerPool.SliceState state;
    private final int maxSlice;
    private double lastLoss;
    private int lastCorrect;

    /** A step over slices of up to {@code maxSlice} samples on a new worker of {@code model}, with class targets. */
    public ShardStep(TrainableModel model, Loss loss, Targets targets, int maxSlice) {
        this(model, loss, targets, null, 0, maxSlice);
    }

    /**
     * As {@link #ShardStep(TrainableModel, Loss, Targets, int)}; with {@link Targets#IMAGES},
     * {@code images} makes each sample's target (and noisy input, drawn from {@code runSeed}, the
     * run's seed) as {@link Trainer} does for {@link TrainingConfig#imageTargets()}.
     */
    public ShardStep(TrainableModel model, Loss loss, Targets targets, ImageTargets images, long runSeed,
            int maxSlice) {
        this(model, loss, targets, images, runSeed, new WorkerPool.SliceState(model, maxSlice), maxSlice);
    }

    private ShardStep(TrainableModel model, Loss loss, Targets targets, ImageTargets images, long runSeed,
            WorkerPool.SliceState state, int maxSlice) {
        if ((targets == Targets.IMAGES) != (images != null)) {
            throw new IllegalArgumentException("image targets go with Targets.IMAGES, and only with it");
        }
        this.model = model;
        this.loss = loss;
        this.targets = targets;
        this.images = images;
        this.runSeed = runSeed;
        this.state = state;
        this.maxSlice = maxSlice;
    }

    /** Samples {@code [sliceStart(s), sliceStart(s + 1))} of a batch of {@code n} cut into {@code slices}. */
    public static int sliceStart(int s, int n, int slices) {
        return WorkerPool.sliceStart(s, n, slices);
    }

    /** The seed of batch {@code batch} of epoch {@code epoch} in a run seeded {@code seed}, as {@link Trainer} derives it. */
    public static long batchSeed(long seed, int epoch, int batch) {
        return Seeds.batch(seed, epoch, batch);
    }

    /** The seed of {@link dev.striate.data.Split#random} with which {@link Trainer} holds out {@link TrainingConfig#validationFraction()}. */
    public static long splitSeed(long seed) {
        return Seeds.split(seed);
    }

    /**
     * Runs slice {@code slice} of a batch of {@code n} samples: {@code images} and {@code labels}
     * hold the slice's {@code m} samples (normalized and augmented as {@link dev.striate.data.MiniBatches}
     * does); {@code batchSeed} is {@link #batchSeed}. Returns this worker's gradients (live arrays,
     * parallel to the model's parameters, overwritten by the next call). Class targets only.
     */
    public float[][] run(float[] images, int[] labels, int m, int n, int slice, long batchSeed) {
        return run(images, labels, null, m, n, slice, 0, batchSeed);
    }

    /**
     * As {@link #run(float[], int[], int, int, int, long)} in epoch {@code epoch}; {@code indices}
     * holds the samples' indices in the training set, from which image targets draw their noise
     * (needed with {@link Targets#IMAGES} only, where {@code labels} is not read).
     */
    public float[][] run(float[] images, int[] labels, int[] indices, int m, int n, int slice, int epoch,
            long batchSeed) {
        if (m < 1 || m > maxSlice || m > n) {
            throw new IllegalArgumentException("slice of " + m + " samples (batch " + n + ", at most " + maxSlice + ")");
        }
        load(state, images, labels, m);
        compute(state, m, n, Seeds.dropout(batchSeed, slice), epoch, indices, 0);
        return state.worker.gradients();
    }

    /**
     * Scores {@code m} samples in inference mode (batch norm on running statistics, no dropout),
     * as {@link Evaluator} scores one slice of a validation batch: returns the slice's mean loss
     * times {@code m} (what the evaluator sums, slice by slice and batch by batch, in order);
     * {@link #correct()} then counts the samples whose largest output is their label (0 with image
     * targets, whose noise is drawn from {@code indices}, the samples' indices in the validation set).
     */
    public double evaluate(float[] images, int[] labels, int[] indices, int m) {
        if (m < 1 || m > maxSlice) {
            throw new IllegalArgumentException("slice of " + m + " samples (at most " + maxSlice + ")");
        }
        load(state, images, labels, m);
        double l = infer(state, m, indices, 0);
        lastCorrect = targets == Targets.IMAGES ? 0 : Metrics.countCorrect(state.outputs, state.labels, m, model.outputSize());
        return l;
    }

    private void load(WorkerPool.SliceState st, float[] images, int[] labels, int m) {
        System.arraycopy(images, 0, st.inputs, 0, m * model.inputSize());
        System.arraycopy(labels, 0, st.labels, 0, m);
    }

    /** The largest slice {@link #run} takes. */
    public int maxSlice() {
        return maxSlice;
    }

    /** The mean loss over the last slice. */
    public double loss() {
        return lastLoss;
    }

    /** How many samples of the last slice were classified correctly. */
    public int correct() {
        return lastCorrect;
    }

    /**
     * Forward, loss and scaled backward over {@code m} samples of a batch of {@code n} in {@code st}'s
     * buffers; with image targets, their targets (and noise) are made first, sample {@code i} being
     * the data set's {@code indices[first + i]}.
     */
    void compute(WorkerPool.SliceState st, int m, int n, long dropoutSeed, int epoch, int[] indices, int first) {
        int k = model.outputSize();
        if (targets == Targets.IMAGES) {
            images.prepare(st.inputs, st.dense, m, model.inputSize(), runSeed, epoch, indices, first);
        }
        st.worker.forward(st.inputs, m, st.outputs, dropoutSeed);
        double l = targets.apply(loss, st.outputs, st.labels, st.dense, m, k, st.dOutputs);
        float scale = (float) ((double) m / n);
        if (m != n) {
            for (int i = 0; i < m * k; i++) {
                st.dOutputs[i] *= scale;
            }
        }
        st.worker.backward(st.dOutputs, m);
        lastLoss = l;
        lastCorrect = targets == Targets.IMAGES ? 0 : Metrics.countCorrect(st.outputs, st.labels, m, k);
    }

    /**
     * Inference over {@code m} samples in {@code st}'s buffers (image targets made first, with the
     * evaluation's noise); returns the mean loss times {@code m}, or NaN without a loss.
     */
    double infer(WorkerPool.SliceState st, int m, int[] indices, int first) {
        if (targets == Targets.IMAGES) {
            images.prepareEvaluation(st.inputs, st.dense, m, model.inputSize(), runSeed, indices, first);
        }
        st.worker.infer(st.inputs, m, st.outputs);
        return loss == null ? Double.NaN
                : targets.apply(loss, st.outputs, st.labels, st.dense, m, model.outputSize(), st.dOutputs) * m;
    }

    /** The step {@link TrainStep} and {@link Evaluator} run on a slice's state (which they own); not for concurrent use of one instance. */
    static ShardStep over(WorkerPool.SliceState state, TrainableModel model, Loss loss, Targets targets,
            ImageTargets images, long runSeed, int maxSlice) {
        return new ShardStep(model, loss, targets, images, runSeed, state, maxSlice);
    }

    /** Adds {@code g} to {@code acc}, element by element: the fixed-order gradient sum. */
    public static void add(float[] acc, float[] g) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += g[i];
        }
    }
}
