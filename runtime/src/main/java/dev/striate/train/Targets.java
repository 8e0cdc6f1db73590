package dev.striate.train;

/**
 * How the loop hands a batch's labels to the {@link Loss}: as class indices (sparse
 * cross-entropy) or as one-hot rows in the loss's {@code dense} argument (one-hot cross-entropy,
 * sigmoid + binary cross-entropy or MSE against one-hot targets), or as images in {@code dense}
 * (image-to-image training, {@link ImageTargets}).
 */
public enum Targets {
    /** {@code targets} holds the class indices, {@code dense} is null. */
    LABELS,
    /** {@code dense} holds one-hot rows built from the labels, {@code targets} is null. */
    ONE_HOT,
    /**
     * {@code dense} holds target images the caller wrote ({@link ImageTargets#prepare}), as many
     * values per sample as the model has outputs; there are no classes to count as correct.
     */
    IMAGES;

    /**
     * Calls {@code loss} on {@code n} samples of {@code k} outputs with these targets;
     * {@code scratch} holds at least {@code n * k} floats for the one-hot rows.
     */
    double apply(Loss loss, float[] outputs, int[] labels, float[] scratch, int n, int k, float[] dOutputs) {
        if (this == LABELS) {
            return loss.forwardBackward(outputs, labels, null, n, k, dOutputs);
        }
        if (this == IMAGES) {
            return loss.forwardBackward(outputs, null, scratch, n, k, dOutputs);
        }
        java.util.Arrays.fill(scratch, 0, n * k, 0f);
        for (int i = 0; i < n; i++) {
            scratch[i * k + labels[i]] = 1f;
        }
        return loss.forwardBackward(outputs, null, scratch, n, k, dOutputs);
    }
}
