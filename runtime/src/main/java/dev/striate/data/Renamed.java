package dev.striate.data;

import java.util.List;

/** Another data set's images and labels under other class names (what {@link Dataset#withClassNames} returns). */
final class Renamed implements Dataset {
    private final Dataset base;
    private final List<String> classNames;

    Renamed(Dataset base, List<String> classNames) {
        List<String> names = Datasets.checkNames(classNames);
        if (names.size() != base.classCount()) {
            throw new IllegalArgumentException(names.size() + " class names for a data set of " + base.classCount()
                    + " classes");
        }
        this.base = base;
        this.classNames = names;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public ImageShape shape() {
        return base.shape();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return base.label(i);
    }

    @Override
    public void copyImage(int i, float[] dst, int offset) {
        base.copyImage(i, dst, offset);
    }
}
