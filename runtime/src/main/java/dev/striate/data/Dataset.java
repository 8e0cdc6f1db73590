package dev.striate.data;

import java.util.List;

/**
 * A labelled image data set held in memory: {@link #size()} images of one {@link ImageShape},
 * each with an integer label in {@code [0, classCount())}. Pixel values are as loaded (IDX and
 * image files give {@code 0..255}); {@link Normalization} and {@link Augmentation} are applied
 * per batch by {@link MiniBatches}. Implementations are immutable and safe to share between threads.
 */
public interface Dataset {
    /** The number of images. */
    int size();

    /** The shape of every image. */
    ImageShape shape();

    /** The class names, index = label (e.g. {@code "0".."9"} for MNIST, folder names for an image folder). */
    List<String> classNames();

    /** The number of classes. */
    default int classCount() {
        return classNames().size();
    }

    /** The label of image {@code i}. */
    int label(int i);

    /** Copies image {@code i} ({@code C*H*W} floats) into {@code dst} at {@code offset}. */
    void copyImage(int i, float[] dst, int offset);

    /** Image {@code i} as a new array. */
    default float[] image(int i) {
        float[] out = new float[shape().size()];
        copyImage(i, out, 0);
        return out;
    }

    /**
     * The same images and labels with other class names (a view), e.g. a model's labels for IDX files, whose
     * classes are only numbered; {@code names} holds one name per class, in label order.
     */
    default Dataset withClassNames(List<String> names) {
        return new Renamed(this, names);
    }

    /** The images at the given indices, in that order (a view that copies only the indices). */
    default Dataset subset(int[] indices) {
        return new Subset(this, indices);
    }
}
