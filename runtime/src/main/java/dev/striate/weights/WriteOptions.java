package dev.striate.weights;

/**
 * How {@link WeightsFile#write(java.nio.file.Path, WeightSet, WriteOptions)} lays out tensors.
 * By default every tensor goes to the binary blob; {@link #inlineUpTo(int)} writes tensors of
 * at most that many values as JSON numbers in the manifest instead (handy for tiny models and
 * hand-edited fixtures). When every tensor is inline, no blob is written and the manifest has
 * no {@code data} field.
 *
 * @param maxInlineValues tensors with at most this many values are written inline; 0 for none
 */
public record WriteOptions(int maxInlineValues) {
    /** Everything in the blob. */
    public static final WriteOptions DEFAULT = new WriteOptions(0);

    public WriteOptions {
        if (maxInlineValues < 0) {
            throw new IllegalArgumentException("maxInlineValues must be >= 0, got " + maxInlineValues);
        }
    }

    /** Tensors of at most {@code maxValues} values inline, the rest in the blob. */
    public static WriteOptions inlineUpTo(int maxValues) {
        return new WriteOptions(maxValues);
    }

    /** Every tensor inline: a manifest with no blob. */
    public static WriteOptions allInline() {
        return new WriteOptions(Integer.MAX_VALUE);
    }

    boolean inline(Tensor t) {
        return t.size() <= maxInlineValues;
    }
}
