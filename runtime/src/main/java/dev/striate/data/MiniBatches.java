package dev.striate.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batch iteration over a {@link Dataset}: each epoch visits the images in a seeded random
 * order (or in order), cut into batches of {@code batchSize}; the last, smaller batch is kept
 * unless {@code dropLast}. Each image is copied, augmented (with a generator seeded by
 * {@code seed}, the epoch and the image's index in the data set) and normalized. Everything
 * depends only on {@code (seed, epoch, batch)}, so {@link #batch(int, int)} can be called in any
 * order or from several threads and a resumed run sees the same batches.
 */
public final class MiniBatches {
    private final Dataset dataset;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private volatile EpochOrder cached;

    /** The last order computed, so batch-by-batch access does not reshuffle each time. */
    private record EpochOrder(int epoch, int[] order) {
    }

    private MiniBatches(Builder b) {
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + b.batchSize);
        }
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.augmentation = b.augmentation;
        this.normalization = b.normalization;
    }

    /** A builder: shuffled with seed 0, last batch kept, no augmentation, no normalization. */
    public static Builder builder(Dataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    /** The data set iterated over. */
    public Dataset dataset() {
        return dataset;
    }

    /** The number of images per batch (the last may have fewer). */
    public int batchSize() {
        return batchSize;
    }

    /** The number of batches in each epoch. */
    public int batchCount() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the data set's images. */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] p = new int[dataset.size()];
            java.util.Arrays.setAll(p, i -> i);
            return p;
        }
        return Shuffle.permutation(dataset.size(), Shuffle.seed(seed, epoch, -1));
    }

    /** Batch {@code index} of epoch {@code epoch}. */
    public Batch batch(int epoch, int index) {
        return batch(epoch, index, (Batch) null);
    }

    /**
     * Batch {@code index} of epoch {@code epoch}, written into the arrays of {@code recycled} when they have its
     * sizes (a batch of this object the caller no longer reads: its contents are overwritten), else into new ones.
     * A training loop passes the previous step's batch: the images of a batch are a fresh {@code batchSize * C*H*W}
     * floats otherwise, and a large heap hands them out on pages the kernel must first clear (4% of the Keras MNIST
     * CNN's two-thread training step, measured with perf, spent while the workers wait).
     */
    public Batch batch(int epoch, int index, Batch recycled) {
        EpochOrder c = cached;
        if (c == null || c.epoch() != epoch) {
            c = new EpochOrder(epoch, order(epoch));
            cached = c;
        }
        return batch(epoch, index, c.order(), recycled);
    }

    private Batch batch(int epoch, int index, int[] order, Batch recycled) {
        if (index < 0 || index >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchCount());
        }
        int start = index * batchSize;
        int n = Math.min(batchSize, order.length - start);
        ImageShape shape = dataset.shape();
        int size = shape.size();
        boolean fits = recycled != null && recycled.labels().length == n && recycled.images().length == n * size
                && recycled.datasetIndices().length == n;
        float[] images = fits ? recycled.images() : new float[n * size];
        int[] labels = fits ? recycled.labels() : new int[n];
        int[] indices = fits ? recycled.datasetIndices() : new int[n];
        float[] scratch = augmentation.isNone() ? null : new float[size];
        for (int k = 0; k < n; k++) {
            int i = order[start + k];
            indices[k] = i;
            labels[k] = dataset.label(i);
            dataset.copyImage(i, images, k * size);
            if (scratch != null) {
                augmentation.apply(images, k * size, shape, new SplittableRandom(Shuffle.seed(seed, epoch, i)), scratch);
            }
            if (normalization != null) {
                normalization.apply(images, k * size, shape);
            }
        }
        return new Batch(index, shape, images, labels, indices);
    }

    /** The batches of epoch {@code epoch}, in order. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private int next;

            @Override
            public boolean hasNext() {
                return next < batchCount();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch(epoch, next++, order, null);
            }
        };
    }

    /** Collects the settings of a {@link MiniBatches}. */
    public static final class Builder {
        private final Dataset dataset;
        private final int batchSize;
        private long seed;
        private boolean shuffle = true;
        private boolean dropLast;
        private Augmentation augmentation = Augmentation.NONE;
        private Normalization normalization;

        private Builder(Dataset dataset, int batchSize) {
            this.dataset = dataset;
            this.batchSize = batchSize;
        }

        /** The seed of the shuffling and augmentation (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether each epoch visits the images in a random order (default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to drop the last batch when it is smaller than the batch size (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The augmentation applied to each image before normalization (default none). */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** The normalization applied to each image last (default none). */
        public Builder normalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** The iteration. */
        public MiniBatches build() {
            return new MiniBatches(this);
        }
    }
}
