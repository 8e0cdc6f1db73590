package dev.striate.data;

import java.util.List;

/**
 * A data set whose pixels are floats in one array, {@code size * C*H*W} values; what
 * {@link ImageFolder} builds. The arrays are taken as they are (not copied) and must not be
 * changed afterwards.
 */
public final class FloatImageDataset implements Dataset {
    private final ImageShape shape;
    private final float[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /** A data set over {@code pixels} (image after image) with one label per image. */
    public FloatImageDataset(ImageShape shape, float[] pixels, int[] labels, List<String> classNames) {
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels of images " + shape + " need "
                    + (long) labels.length * shape.size() + " values, got " + pixels.length);
        }
        this.classNames = Datasets.checkNames(classNames);
        Datasets.checkLabels(labels, this.classNames.size());
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
        Datasets.checkIndex(i, labels.length);
        int n = shape.size();
        System.arraycopy(pixels, i * n, dst, offset, n);
    }
}
