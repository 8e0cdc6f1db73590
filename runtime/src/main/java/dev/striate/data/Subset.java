package dev.striate.data;

import java.util.List;

/** The images of another data set at chosen indices, in that order; what shuffles and splits return. */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    /** A view of {@code base} at {@code indices} (copied); every index must be in range. */
    public Subset(Dataset base, int[] indices) {
        for (int i : indices) {
            Datasets.checkIndex(i, base.size());
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /** The index in the underlying data set of this subset's image {@code i}. */
    public int baseIndex(int i) {
        return indices[i];
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public ImageShape shape() {
        return base.shape();
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int label(int i) {
        return base.label(indices[i]);
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
        base.copyImage(indices[i], dst, offset);
    }
}
