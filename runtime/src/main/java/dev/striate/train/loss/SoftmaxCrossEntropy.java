package dev.striate.train.loss;

import dev.striate.train.Loss;

/**
 * Softmax followed by cross-entropy, over raw logits: {@code -sum_j t_j log softmax(z)_j} per
 * sample, averaged over the {@code n} samples (PyTorch's {@code F.cross_entropy}). Targets are
 * class indices, or {@code dense} one-hot or soft probabilities. The log-sum-exp is shifted by the
 * sample's largest logit and computed in double, so logits of any size (±1000) stay finite. The
 * gradient is {@code (softmax(z) * sum_j t_j - t) / n}, which is {@code (softmax(z) - onehot) / n}
 * for labels.
 */
public final class SoftmaxCrossEntropy implements Loss {

    @Override
    public double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
        LossArguments.check(outputs, targets, dense, n, k, dOutputs);
        double total = 0;
        double[] p = new double[k];
        for (int i = 0; i < n; i++) {
            int base = i * k;
            double logSumExp = logSoftmaxTerms(outputs, base, k, p);
            if (targets != null) {
                int label = LossArguments.label(targets, i, k);
                total += logSumExp - outputs[base + label];
                for (int j = 0; j < k; j++) {
                    dOutputs[base + j] = (float) ((p[j] - (j == label ? 1.0 : 0.0)) / n);
                }
            } else {
                double mass = 0;
                for (int j = 0; j < k; j++) {
                    double t = dense[base + j];
                    mass += t;
                    if (t != 0) {
                        total += t * (logSumExp - outputs[base + j]);
                    }
                }
                for (int j = 0; j < k; j++) {
                    dOutputs[base + j] = (float) ((p[j] * mass - dense[base + j]) / n);
                }
            }
        }
        return total / n;
    }

    /** Writes softmax(z) of one sample into p and returns log(sum(exp(z))), both computed stably. */
    private static double logSoftmaxTerms(float[] z, int base, int k, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[base + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(z[base + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return max + Math.log(sum);
    }
}
