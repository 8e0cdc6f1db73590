package dev.striate.train.loss;

import dev.striate.train.Loss;

/**
 * Mean squared error over raw outputs (no output activation), averaged over all {@code n * k}
 * elements as PyTorch's {@code F.mse_loss} with its default {@code reduction='mean'}; the gradient
 * is {@code 2 (z - t) / (n * k)}. Targets are {@code dense} values, or class indices, which are
 * compared with their one-hot encoding.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
        LossArguments.check(outputs, targets, dense, n, k, dOutputs);
        double count = (double) n * k;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int label = targets != null ? LossArguments.label(targets, i, k) : -1;
            for (int j = 0; j < k; j++) {
                int at = i * k + j;
                double t = targets != null ? (j == label ? 1.0 : 0.0) : dense[at];
                double d = outputs[at] - t;
                total += d * d;
                dOutputs[at] = (float) (2 * d / count);
            }
        }
        return total / count;
    }
}
