package dev.striate.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A data set whose pixels are unsigned bytes ({@code 0..255}), four times smaller than floats:
 * MNIST's 60,000 training images take 47 MB. Images are converted to floats as they are copied.
 * {@link #fromIdx} builds one from an IDX image file and an IDX label file.
 */
public final class ByteImageDataset implements Dataset {
    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /** A data set over {@code pixels} (image after image, unsigned) with one label per image. */
    public ByteImageDataset(ImageShape shape, byte[] pixels, int[] labels, List<String> classNames) {
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels of images " + shape + " need "
                    + (long) labels.length * shape.size() + " bytes, got " + pixels.length);
        }
        this.classNames = Datasets.checkNames(classNames);
        Datasets.checkLabels(labels, this.classNames.size());
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Reads an IDX image file ({@code [n, h, w]} for grayscale or {@code [n, c, h, w]}) and an IDX
     * label file ({@code [n]}); the class names are {@code "0"} to {@code classes - 1}.
     *
     * @throws DataException if a file is not IDX, the shapes do not fit, or a label is {@code >= classes}
     */
    public static ByteImageDataset fromIdx(Path images, Path labels, int classes) throws IOException {
        IdxFile img = IdxFile.read(images);
        IdxFile lab = IdxFile.read(labels);
        int[] d = img.dims();
        if (d.length != 3 && d.length != 4) {
            throw new DataException(images + ": IDX images need dimensions [n, height, width] or "
                    + "[n, channels, height, width], got " + Arrays.toString(d));
        }
        int[] ld = lab.dims();
        if (ld.length != 1) {
            throw new DataException(labels + ": IDX labels need one dimension [n], got " + Arrays.toString(ld));
        }
        if (ld[0] != d[0]) {
            throw new DataException(labels + ": " + ld[0] + " labels for " + d[0] + " images in " + images);
        }
        if (d[d.length - 1] == 0 || d[d.length - 2] == 0 || (d.length == 4 && d[1] == 0)) {
            throw new DataException(images + ": IDX images with an empty dimension " + Arrays.toString(d));
        }
        ImageShape shape = d.length == 3 ? new ImageShape(1, d[1], d[2]) : new ImageShape(d[1], d[2], d[3]);
        int[] y = new int[ld[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.unsigned(i);
            if (y[i] >= classes) {
                throw new DataException(labels + ": label " + y[i] + " of image " + i + " is not below the "
                        + classes + " classes");
            }
        }
        return new ByteImageDataset(shape, img.data(), y, Datasets.numbered(classes));
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
        int base = i * n;
        for (int k = 0; k < n; k++) {
            dst[offset + k] = pixels[base + k] & 0xFF;
        }
    }
}
