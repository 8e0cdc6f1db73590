package dev.striate.data;

/**
 * One mini-batch: {@code size} images laid out one after another ({@code size * C*H*W} floats,
 * NCHW) and their labels.
 *
 * @param index the batch's position in its epoch, from 0
 * @param shape the shape of each image
 * @param images the pixel values, normalized and augmented as the {@link MiniBatches} says
 * @param labels the labels, {@code size} of them
 * @param datasetIndices which images of the data set these are, in order
 */
public record Batch(int index, ImageShape shape, float[] images, int[] labels, int[] datasetIndices) {
    /** The number of images in this batch (the last batch of an epoch may be smaller). */
    public int size() {
        return labels.length;
    }
}
