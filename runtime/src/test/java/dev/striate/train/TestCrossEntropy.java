package dev.striate.train;

/** Softmax + cross-entropy over sparse labels, written for the loop's tests (mean over the samples). */
final class TestCrossEntropy implements Loss {
    @Override
    public double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
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
                double p = Math.exp(outputs[s * k + j] - max) / sum;
                dOutputs[s * k + j] = (float) ((p - (j == targets[s] ? 1 : 0)) / n);
            }
            total += Math.log(sum) + max - outputs[s * k + targets[s]];
        }
        return total / n;
    }
}
