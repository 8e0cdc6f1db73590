package dev.striate.train.loss;

import dev.striate.train.Loss;

/**
 * Sigmoid followed by binary cross-entropy, over raw logits (PyTorch's
 * {@code F.binary_cross_entropy_with_logits}): each of the {@code n * k} outputs is an independent
 * probability, and the loss is averaged over all {@code n * k} elements (PyTorch's
 * {@code reduction='mean'}). Per element it uses the stable form
 * {@code max(z, 0) - z * t + log(1 + exp(-|z|))}; the gradient is {@code (sigmoid(z) - t) / (n * k)}.
 * Targets are {@code dense} values in [0, 1], or labels 0/1 when {@code k == 1}.
 */
public final class SigmoidBinaryCrossEntropy implements Loss {

    @Override
    public double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs) {
        LossArguments.check(outputs, targets, dense, n, k, dOutputs);
        if (targets != null && k != 1) {
            throw new IllegalArgumentException("binary cross-entropy takes labels only with one output per sample, got k="
                    + k + "; give dense targets");
        }
        double count = (double) n * k;
        double total = 0;
        for (int i = 0; i < n * k; i++) {
            double z = outputs[i];
            double t = targets != null ? LossArguments.label(targets, i, 2) : dense[i];
            total += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
            dOutputs[i] = (float) ((sigmoid(z) - t) / count);
        }
        return total / count;
    }

    /** The logistic function, without overflow for large |z|. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
