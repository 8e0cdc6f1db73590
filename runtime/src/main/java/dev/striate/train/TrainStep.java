package dev.striate.train;

import dev.striate.data.Batch;

/**
 * One training step's arithmetic, minus the optimizer: each slice runs forward, the loss and
 * backward on its own worker, with the slice's {@code dOutputs} scaled by {@code slice_n / batch_n}
 * (the loss gives the gradient of the mean over its slice; the weighted sum of slice means is the
 * batch mean). The slices' gradients are then summed in slice order, 0 + 1 + ..., into one set of
 * arrays, so the result does not depend on which thread finished first.
 */
final class TrainStep {
    private final WorkerPool pool;
    private final float[][] gradients;
    private final double[] sliceLoss;
    private final int[] sliceCorrect;
    private final ShardStep[] steps;

    /** The mean loss and the number of correctly classified samples of one batch. */
    record Result(double loss, int correct, int size) {
    }

    TrainStep(WorkerPool pool, Loss loss, Targets targets, ImageTargets images, long runSeed) {
        this.pool = pool;
        var params = pool.model().parameters();
        this.gradients = new float[params.size()][];
        for (int p = 0; p < gradients.length; p++) {
            gradients[p] = new float[params.get(p).size()];
        }
        this.sliceLoss = new double[pool.slices()];
        this.sliceCorrect = new int[pool.slices()];
        this.steps = new ShardStep[pool.slices()];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = ShardStep.over(pool.state(s), pool.model(), loss, targets, images, runSeed, Integer.MAX_VALUE);
        }
    }

    /** The summed gradients of the last {@link #run}, parallel to the model's parameters. */
    float[][] gradients() {
        return gradients;
    }

    /**
     * Forward, loss and backward over {@code batch} of epoch {@code epoch}; {@code seed} derives each
     * slice's dropout seed.
     */
    Result run(Batch batch, long seed, int epoch) {
        int n = batch.size();
        TrainableModel model = pool.model();
        int in = model.inputSize();
        pool.run(n, (s, from, to) -> {
            WorkerPool.SliceState st = pool.state(s);
            int m = to - from;
            System.arraycopy(batch.images(), from * in, st.inputs, 0, m * in);
            System.arraycopy(batch.labels(), from, st.labels, 0, m);
            ShardStep step = steps[s];
            step.compute(st, m, n, Seeds.dropout(seed, s), epoch, batch.datasetIndices(), from);
            sliceLoss[s] = step.loss();
            sliceCorrect[s] = step.correct();
        });
        double total = 0;
        int correct = 0;
        boolean first = true;
        for (int s = 0; s < pool.slices(); s++) {
            int from = WorkerPool.sliceStart(s, n, pool.slices());
            int to = WorkerPool.sliceStart(s + 1, n, pool.slices());
            if (to == from) {
                continue;
            }
            total += sliceLoss[s] * (to - from) / n;
            correct += sliceCorrect[s];
            float[][] g = pool.state(s).worker.gradients();
            for (int p = 0; p < gradients.length; p++) {
                if (first) {
                    System.arraycopy(g[p], 0, gradients[p], 0, gradients[p].length);
                } else {
                    ShardStep.add(gradients[p], g[p]);
                }
            }
            first = false;
        }
        return new Result(total, correct, n);
    }
}
