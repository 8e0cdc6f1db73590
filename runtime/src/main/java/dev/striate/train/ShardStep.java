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
 * statistics aside: only slice 0's worker updates them in either).
 */
public final class ShardStep {
    private final TrainableModel model;
    private final Loss loss;
    private final Targets targets;
    private final WorkerPool.SliceState state;
    private final int maxSlice;
    private double lastLoss;
    private int lastCorrect;

    /** A step over slices of up to {@code maxSlice} samples on a new worker of {@code model}. */
    public ShardStep(TrainableModel model, Loss loss, Targets targets, int maxSlice) {
        this(model, loss, requireClassTargets(targets), new WorkerPool.SliceState(model, maxSlice), maxSlice);
    }

    private ShardStep(TrainableModel model, Loss loss, Targets targets, WorkerPool.SliceState state, int maxSlice) {
        this.model = model;
        this.loss = loss;
        this.targets = targets;
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

    /**
     * Runs slice {@code slice} of a batch of {@code n} samples: {@code images} and {@code labels}
     * hold the slice's {@code m} samples (normalized and augmented as {@link dev.striate.data.MiniBatches}
     * does); {@code batchSeed} is {@link #batchSeed}. Returns this worker's gradients (live arrays,
     * parallel to the model's parameters, overwritten by the next call).
     */
    public float[][] run(float[] images, int[] labels, int m, int n, int slice, long batchSeed) {
        if (m < 1 || m > maxSlice || m > n) {
            throw new IllegalArgumentException("slice of " + m + " samples (batch " + n + ", at most " + maxSlice + ")");
        }
        System.arraycopy(images, 0, state.inputs, 0, m * model.inputSize());
        System.arraycopy(labels, 0, state.labels, 0, m);
        compute(state, m, n, Seeds.dropout(batchSeed, slice));
        return state.worker.gradients();
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

    /** Forward, loss and scaled backward over {@code m} samples of a batch of {@code n} in {@code st}'s buffers. */
    void compute(WorkerPool.SliceState st, int m, int n, long dropoutSeed) {
        int k = model.outputSize();
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

    /** The step {@link TrainStep} runs on each slice's state (which it owns); not for concurrent use of one instance. */
    static ShardStep over(WorkerPool.SliceState state, TrainableModel model, Loss loss, Targets targets, int maxSlice) {
        return new ShardStep(model, loss, targets, state, maxSlice);
    }

    private static Targets requireClassTargets(Targets targets) {
        if (targets == Targets.IMAGES) {
            throw new IllegalArgumentException("image targets (target = image) are not supported by a shard step yet: "
                    + "train image-to-image models with striate train");
        }
        return targets;
    }

    /** Adds {@code g} to {@code acc}, element by element: the fixed-order gradient sum. */
    public static void add(float[] acc, float[] g) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += g[i];
        }
    }
}
