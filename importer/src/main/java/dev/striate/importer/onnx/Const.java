package dev.striate.importer.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor known at import time (an initializer, a {@code Constant} node, or the result of the
 * shape arithmetic PyTorch's exporter writes), row-major, values held as doubles. A dimension
 * read from the symbolic batch by {@code Shape} is {@link #BATCH} (NaN), so that no arithmetic
 * can turn it into a number unnoticed.
 */
record Const(int[] dims, double[] values) {
    /** The symbolic batch size, as a value of a shape tensor. */
    static final double BATCH = Double.NaN;

    static Const vector(double... values) {
        return new Const(new int[] {values.length}, values);
    }

    static Const scalar(double value) {
        return new Const(new int[0], new double[] {value});
    }

    int size() {
        return values.length;
    }

    int rank() {
        return dims.length;
    }

    /** The values as a float array (weights). */
    float[] floats() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** The values as longs; NaN (the batch) stays distinguishable through {@link #isBatch(int)}. */
    long longAt(int i) {
        return (long) values[i];
    }

    boolean isBatch(int i) {
        return Double.isNaN(values[i]);
    }

    Const reshape(int[] newDims) {
        return new Const(newDims, values);
    }

    private static int[] strides(int[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    private static int count(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** ONNX {@code Gather} along {@code axis} with constant indices (negative ones count from the end). */
    Const gather(Const indices, int axis) {
        int a = axis < 0 ? axis + rank() : axis;
        int outer = count(Arrays.copyOfRange(dims, 0, a));
        int inner = count(Arrays.copyOfRange(dims, a + 1, rank()));
        int[] outDims = new int[rank() - 1 + indices.rank()];
        System.arraycopy(dims, 0, outDims, 0, a);
        System.arraycopy(indices.dims, 0, outDims, a, indices.rank());
        System.arraycopy(dims, a + 1, outDims, a + indices.rank(), rank() - a - 1);
        double[] out = new double[count(outDims)];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < indices.size(); j++) {
                long idx = indices.longAt(j);
                int i = (int) (idx < 0 ? idx + dims[a] : idx);
                if (i < 0 || i >= dims[a]) {
                    throw new IllegalArgumentException("Gather index " + idx + " outside 0.." + (dims[a] - 1));
                }
                System.arraycopy(values, (o * dims[a] + i) * inner, out, k, inner);
                k += inner;
            }
        }
        return new Const(outDims, out);
    }

    /** ONNX {@code Unsqueeze}: inserts axes of size 1. */
    Const unsqueeze(long[] axes) {
        int outRank = rank() + axes.length;
        boolean[] added = new boolean[outRank];
        for (long axis : axes) {
            added[(int) (axis < 0 ? axis + outRank : axis)] = true;
        }
        int[] outDims = new int[outRank];
        for (int i = 0, j = 0; i < outRank; i++) {
            outDims[i] = added[i] ? 1 : dims[j++];
        }
        return reshape(outDims);
    }

    /** ONNX {@code Squeeze}: removes the given axes of size 1 (all of them when {@code axes} is empty). */
    Const squeeze(long[] axes) {
        boolean[] removed = new boolean[rank()];
        for (long axis : axes) {
            removed[(int) (axis < 0 ? axis + rank() : axis)] = true;
        }
        return reshape(Arrays.stream(range(rank()))
                .filter(i -> axes.length == 0 ? dims[i] != 1 : !removed[i]).map(i -> dims[i]).toArray());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** ONNX {@code Concat} along {@code axis}. */
    static Const concat(List<Const> parts, int axis) {
        Const first = parts.get(0);
        int a = axis < 0 ? axis + first.rank() : axis;
        int outer = count(Arrays.copyOfRange(first.dims, 0, a));
        int[] outDims = first.dims.clone();
        outDims[a] = parts.stream().mapToInt(p -> p.dims[a]).sum();
        double[] out = new double[count(outDims)];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (Const p : parts) {
                int block = p.size() / Math.max(outer, 1);
                System.arraycopy(p.values, o * block, out, k, block);
                k += block;
            }
        }
        return new Const(outDims, out);
    }

    /** ONNX {@code Reshape} of a constant: 0 copies the input's dimension, -1 is inferred. */
    Const reshapeTo(Const shape) {
        int[] outDims = new int[shape.size()];
        int inferred = -1;
        int known = 1;
        for (int i = 0; i < outDims.length; i++) {
            long d = shape.longAt(i);
            if (shape.isBatch(i)) {
                throw new IllegalArgumentException("a constant reshaped with the batch size");
            }
            outDims[i] = d == 0 ? dims[i] : (int) d;
            if (d == -1) {
                inferred = i;
            } else {
                known *= outDims[i];
            }
        }
        if (inferred >= 0) {
            outDims[inferred] = size() / known;
        }
        return reshape(outDims);
    }

    /** ONNX {@code Transpose}. */
    Const transpose(long[] perm) {
        int[] p = new int[rank()];
        for (int i = 0; i < p.length; i++) {
            p[i] = perm.length == 0 ? rank() - 1 - i : (int) perm[i];
        }
        int[] outDims = new int[rank()];
        for (int i = 0; i < p.length; i++) {
            outDims[i] = dims[p[i]];
        }
        int[] inStrides = strides(dims);
        int[] outStrides = strides(outDims);
        double[] out = new double[size()];
        for (int flat = 0; flat < out.length; flat++) {
            int src = 0;
            int rest = flat;
            for (int i = 0; i < p.length; i++) {
                int idx = rest / outStrides[i];
                rest %= outStrides[i];
                src += idx * inStrides[p[i]];
            }
            out[flat] = values[src];
        }
        return new Const(outDims, out);
    }

    /** ONNX {@code Slice} with constant starts, ends, axes and steps (steps may be negative). */
    Const slice(long[] starts, long[] ends, long[] axes, long[] steps) {
        int[] start = new int[rank()];
        int[] step = new int[rank()];
        int[] outDims = dims.clone();
        Arrays.fill(step, 1);
        for (int j = 0; j < starts.length; j++) {
            int a = (int) (axes.length == 0 ? j : axes[j] < 0 ? axes[j] + rank() : axes[j]);
            long s = steps.length == 0 ? 1 : steps[j];
            long d = dims[a];
            long b = starts[j] < 0 ? starts[j] + d : starts[j];
            long e = ends[j] < 0 ? ends[j] + d : ends[j];
            if (s > 0) {
                b = Math.max(0, Math.min(b, d));
                e = Math.max(0, Math.min(e, d));
                outDims[a] = (int) Math.max(0, (e - b + s - 1) / s);
            } else {
                b = Math.max(-1, Math.min(b, d - 1));
                e = Math.max(-1, Math.min(e, d - 1));
                outDims[a] = (int) Math.max(0, (b - e + (-s) - 1) / (-s));
            }
            start[a] = (int) b;
            step[a] = (int) s;
        }
        int[] inStrides = strides(dims);
        int[] outStrides = strides(outDims);
        double[] out = new double[count(outDims)];
        for (int flat = 0; flat < out.length; flat++) {
            int src = 0;
            int rest = flat;
            for (int i = 0; i < rank(); i++) {
                int idx = rest / outStrides[i];
                rest %= outStrides[i];
                src += (start[i] + idx * step[i]) * inStrides[i];
            }
            out[flat] = values[src];
        }
        return new Const(outDims, out);
    }

    /** ONNX {@code ConstantOfShape}: a tensor of {@code shape} filled with {@code fill}. */
    static Const filled(Const shape, double fill) {
        int[] outDims = new int[shape.size()];
        for (int i = 0; i < outDims.length; i++) {
            outDims[i] = (int) shape.longAt(i);
        }
        double[] out = new double[count(outDims)];
        Arrays.fill(out, fill);
        return new Const(outDims, out);
    }

    /** {@code Cast} to an integer type truncates; to a float type keeps the value. */
    Const cast(boolean toInteger) {
        if (!toInteger) {
            return this;
        }
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(out[i]) ? out[i] : (long) out[i];
        }
        return new Const(dims, out);
    }

    long[] longs() {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }
}
