package dev.striate.train;

import dev.striate.data.Batch;
import dev.striate.data.Dataset;
import dev.striate.data.MiniBatches;
import dev.striate.data.Normalization;
import dev.striate.weights.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * Evaluates a {@link TrainableModel} in inference mode ({@link TrainableModel.Worker#infer}: batch
 * norm on running statistics, no dropout) on a data set, in order and without augmentation:
 * accuracy, per-class accuracy, confusion matrix and, given a loss, the mean loss. Batches are
 * split across threads like training batches; the counts do not depend on the split, and the
 * loss is summed in slice order. Close it to stop its threads.
 */
public final class Evaluator implements AutoCloseable {
    private final WorkerPool pool;
    private final boolean ownsPool;
    private final int batchSize;
    private final double[] sliceLoss;

    /** An evaluator with its own workers, using {@code threads} threads on batches of {@code batchSize}. */
    public Evaluator(TrainableModel model, int batchSize, int threads) {
        this(new WorkerPool(model, batchSize, threads, threads), batchSize, true);
    }

    /**
     * An evaluator that runs {@link Predictor}s (one per slice, from {@code instances}, called one
     * image at a time) instead of a trainer's inference pass: {@code striate evaluate} measures the
     * class that ships this way.
     *
     * @param name       the model's name, for messages
     * @param inputSize  floats per image
     * @param outputSize outputs per image
     */
    public static Evaluator ofPredictors(String name, int inputSize, int outputSize, Supplier<Predictor> instances,
            int batchSize, int threads) {
        return new Evaluator(new PredictorModel(name, inputSize, outputSize, instances), batchSize, threads);
    }

    /** An evaluator sharing a trainer's workers (their inference pass touches no training state). */
    Evaluator(WorkerPool pool, int batchSize) {
        this(pool, batchSize, false);
    }

    private Evaluator(WorkerPool pool, int batchSize, boolean ownsPool) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.batchSize = Math.min(batchSize, pool.maxSlice() * pool.slices());
        this.sliceLoss = new double[pool.slices()];
    }

    /**
     * Evaluates on {@code data}, normalized with {@code normalization} (null for none).
     *
     * @param loss the loss to average, or null to skip it
     */
    public Evaluation evaluate(Dataset data, Normalization normalization, Loss loss) {
        return evaluate(data, normalization, loss, Targets.LABELS);
    }

    /** As {@link #evaluate(Dataset, Normalization, Loss)}, handing the loss its targets as {@code targets} says. */
    public Evaluation evaluate(Dataset data, Normalization normalization, Loss loss, Targets targets) {
        return evaluate(data, normalization, loss, targets, null);
    }

    /** What the model output for each sample, in data-set order. */
    @FunctionalInterface
    public interface OutputListener {
        /** Sample {@code index} of the data set, labelled {@code label}: its outputs are {@code outputs[offset, offset + k)}. */
        void accept(int index, int label, float[] outputs, int offset, int k);
    }

    /** As {@link #evaluate(Dataset, Normalization, Loss, Targets)}, also handing each sample's outputs to {@code listener} (null for none). */
    public Evaluation evaluate(Dataset data, Normalization normalization, Loss loss, Targets targets,
            OutputListener listener) {
        return evaluate(data, normalization, loss, targets, listener, null, 0);
    }

    /**
     * As {@link #evaluate(Dataset, Normalization, Loss, Targets, OutputListener)}; with
     * {@link Targets#IMAGES}, {@code images} makes each sample's target from its input (and its
     * noisy input, drawn from {@code seed}), and the evaluation has a loss but no classes (its
     * confusion matrix stays empty).
     */
    public Evaluation evaluate(Dataset data, Normalization normalization, Loss loss, Targets targets,
            OutputListener listener, ImageTargets images, long seed) {
        TrainableModel model = pool.model();
        checkSizes(model, data, targets);
        if (targets == Targets.IMAGES && images == null) {
            throw new IllegalArgumentException("image targets need their ImageTargets");
        }
        ConfusionMatrix matrix = new ConfusionMatrix(data.classNames());
        MiniBatches batches = MiniBatches.builder(data, batchSize).shuffle(false).normalization(normalization).build();
        int in = model.inputSize();
        int k = model.outputSize();
        double lossSum = 0;
        ShardStep[] steps = new ShardStep[pool.slices()];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = ShardStep.over(pool.state(s), model, loss, targets, targets == Targets.IMAGES ? images : null,
                    seed, Integer.MAX_VALUE);
        }
        for (Batch batch : batches.epoch(0)) {
            int n = batch.size();
            pool.run(n, (s, from, to) -> {
                WorkerPool.SliceState st = pool.state(s);
                int m = to - from;
                System.arraycopy(batch.images(), from * in, st.inputs, 0, m * in);
                System.arraycopy(batch.labels(), from, st.labels, 0, m);
                sliceLoss[s] = steps[s].infer(st, m, batch.datasetIndices(), from);
            });
            for (int s = 0; s < pool.slices(); s++) {
                int from = WorkerPool.sliceStart(s, n, pool.slices());
                int to = WorkerPool.sliceStart(s + 1, n, pool.slices());
                WorkerPool.SliceState st = pool.state(s);
                for (int i = 0; i < to - from; i++) {
                    if (targets != Targets.IMAGES) {
                        matrix.add(st.labels[i], Metrics.argmax(st.outputs, i * k, k));
                    }
                    if (listener != null) {
                        listener.accept(batch.datasetIndices()[from + i], st.labels[i], st.outputs, i * k, k);
                    }
                }
                if (loss != null && to > from) {
                    lossSum += sliceLoss[s];
                }
            }
        }
        double mean = loss == null || data.size() == 0 ? Double.NaN : lossSum / data.size();
        return new Evaluation(matrix, mean);
    }

    /**
     * Checks the model reads the data set's images and has one output per class (with
     * {@link Targets#IMAGES}: one output per input value).
     */
    static void checkSizes(TrainableModel model, Dataset data, Targets targets) {
        if (model.inputSize() != data.shape().size()) {
            throw new TrainingException("model " + model.name() + " reads " + model.inputSize()
                    + " values per image but the data set's images " + data.shape() + " have " + data.shape().size());
        }
        if (targets == Targets.IMAGES) {
            if (model.outputSize() != model.inputSize()) {
                throw new TrainingException("model " + model.name() + " has " + model.outputSize()
                        + " outputs but image targets need one per input value (" + model.inputSize() + ")");
            }
        } else if (model.outputSize() != data.classCount()) {
            throw new TrainingException("model " + model.name() + " has " + model.outputSize()
                    + " outputs but the data set has " + data.classCount() + " classes");
        }
    }

    /** Predictors seen as a model that only infers; its workers refuse to train. */
    private record PredictorModel(String name, int inputSize, int outputSize, Supplier<Predictor> instances)
            implements TrainableModel {
        @Override
        public List<Tensor> parameters() {
            return List.of();
        }

        @Override
        public List<Tensor> buffers() {
            return List.of();
        }

        @Override
        public Worker newWorker(int maxBatch) {
            Predictor predictor = instances.get();
            float[] input = new float[inputSize];
            float[] output = new float[outputSize];
            return new Worker() {
                @Override
                public void forward(float[] inputs, int n, float[] outputs, long seed) {
                    throw new UnsupportedOperationException("model " + name + " only infers");
                }

                @Override
                public void backward(float[] dOutputs, int n) {
                    throw new UnsupportedOperationException("model " + name + " only infers");
                }

                @Override
                public float[][] gradients() {
                    return new float[0][];
                }

                @Override
                public void infer(float[] inputs, int n, float[] outputs) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(inputs, i * inputSize, input, 0, inputSize);
                        predictor.predict(input, output);
                        System.arraycopy(output, 0, outputs, i * outputSize, outputSize);
                    }
                }
            };
        }
    }

    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
    }
}
