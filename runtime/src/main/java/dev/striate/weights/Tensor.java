package dev.striate.weights;

import java.util.Arrays;

/**
 * A named float32 tensor in PyTorch's canonical layout (row-major, e.g. conv kernels
 * {@code [out, in/groups, kh, kw]}). Treat the data as read-only once built.
 */
public final class Tensor {
    private final String name;
    private final int[] shape;
    private final float[] data;

    public Tensor(String name, int[] shape, float[] data) {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimensions must be positive: " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, data has " + data.length);
        }
        this.name = name;
        this.shape = shape.clone();
        this.data = data;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The backing array, not a copy: do not modify it. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    /** Shape as printed in messages, e.g. {@code [32, 1, 3, 3]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Index of the first NaN or infinite value, or -1 when every value is finite. */
    public int firstNonFinite() {
        return Float32.firstNonFinite(data);
    }

    /** The row-major index of flat position {@code flat}, as printed in messages: {@code [0, 0, 1, 2]}. */
    public String indexString(int flat) {
        return Float32.multiIndex(shape, flat);
    }

    public Tensor rename(String newName) {
        return new Tensor(newName, shape, data);
    }

    @Override
    public String toString() {
        return name + " " + shapeString();
    }
}
