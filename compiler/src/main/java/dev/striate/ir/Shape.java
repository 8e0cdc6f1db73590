package dev.striate.ir;

import java.util.Arrays;
import java.util.List;

/**
 * The shape of one activation tensor for a single image, without the batch dimension:
 * {@code [C, H, W]} for feature maps, {@code [N]} for flat vectors. Immutable.
 * {@link #UNKNOWN} marks a node whose shape has not been inferred yet.
 */
public final class Shape {
    /** Placeholder before {@code InferShapes} has run. */
    public static final Shape UNKNOWN = new Shape(new int[0], true);

    private final int[] dims;
    private final boolean unknown;

    private Shape(int[] dims, boolean unknown) {
        this.dims = dims;
        this.unknown = unknown;
    }

    /** A shape with the given dimensions; every dimension must be positive. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("dimensions must be positive: " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone(), false);
    }

    /** A feature map of {@code channels x height x width}. */
    public static Shape chw(int channels, int height, int width) {
        return of(channels, height, width);
    }

    public boolean isKnown() {
        return !unknown;
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Channels of a {@code [C, H, W]} map, or the length of a flat vector. */
    public int channels() {
        return dims[0];
    }

    public int height() {
        requireRank(3);
        return dims[1];
    }

    public int width() {
        requireRank(3);
        return dims[2];
    }

    /** Pixels per channel: {@code H * W} for a {@code [C, H, W]} map, 1 for a flat vector. */
    public int plane() {
        return dims.length == 3 ? dims[1] * dims[2] : 1;
    }

    /** Number of elements. */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private void requireRank(int rank) {
        if (dims.length != rank) {
            throw new IllegalStateException("expected a rank-" + rank + " shape, got " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && s.unknown == unknown && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 31 + (unknown ? 1 : 0);
    }

    /**
     * A layer's shapes as the generated code documents them: {@code [1, 28, 28] -> [32, 26, 26]},
     * several inputs joined by {@code +} ({@code [4, 8, 8] + [4, 8, 8] -> [8, 8, 8]}).
     */
    public static String transition(List<Shape> inputs, Shape output) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? " + " : "").append(inputs.get(i));
        }
        return sb.append(" -> ").append(output).toString();
    }

    /** {@code [1, 28, 28]}, or {@code ?} when unknown. */
    @Override
    public String toString() {
        if (unknown) {
            return "?";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
