package dev.striate.train;

/**
 * Softmax + cross-entropy written for the loop's tests (mean over the samples), with sparse
 * labels or dense target rows; exactly one of the two must be given, as the {@link Loss}
 * contract says.
 */
final class TestCrossEntropy implements Loss {
    @Override
    public double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
        if ((targets == null) == (dense == null)) {
            throw new AssertionError("exactly one of targets and dense must be given");
        }
        double total = 0;
        for (int s = 0; s < n; s++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, outputs[s * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(outputs[s * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                double t = dense != null ? dense[s * k + j] : (j == targets[s] ? 1 : 0);
                double p = Math.exp(outputs[s * k + j] - max) / sum;
                dOutputs[s * k + j] = (float) ((p - t) / n);
                total += t * (Math.log(sum) + max - outputs[s * k + j]);
            }
        }
        return total / n;
    }
}
