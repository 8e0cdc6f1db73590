package dev.striate.train;

/**
 * A loss over a batch of raw model outputs, fused with its output activation so the gradient is
 * stable (softmax + cross-entropy gives {@code softmax(z) - onehot}). Returns the mean loss over
 * the batch and writes d(mean loss)/d(outputs).
 */
public interface Loss {

    /**
     * @param outputs  {@code n * k} raw outputs (logits)
     * @param targets  {@code n} class indices for classification losses, or null when {@code dense} is used
     * @param dense    {@code n * k} target values (one-hot or regression targets), or null
     * @param dOutputs receives {@code n * k} gradients of the mean loss
     * @return the mean loss over the {@code n} samples
     */
    double forwardBackward(float[] outputs, int[] targets, float[] dense, int n, int k, float[] dOutputs);
}
