package dev.striate.train;

import dev.striate.data.Shuffle;

/**
 * The seeds a training run derives from its one seed, each from a position (epoch, batch, slice)
 * and not from a running generator: a run resumed at any batch boundary draws the same numbers.
 */
final class Seeds {
    private static final long DROPOUT = 0x44524F504F5554L;
    private static final long SPLIT = 0x53504C4954L;

    private Seeds() {
    }

    /** The seed of batch {@code batch} of epoch {@code epoch}, from which the slices' dropout seeds come. */
    static long batch(long seed, int epoch, int batch) {
        return Shuffle.seed(seed ^ DROPOUT, epoch, batch);
    }

    /** The dropout seed of slice {@code slice} of a batch with seed {@code batchSeed}. */
    static long dropout(long batchSeed, int slice) {
        return Shuffle.seed(batchSeed, slice, 0);
    }

    /** The seed of the validation split. */
    static long split(long seed) {
        return Shuffle.seed(seed ^ SPLIT, 0, 0);
    }
}
