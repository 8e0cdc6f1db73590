package dev.striate.ir;

import java.util.List;

/**
 * A typed operation of the IR graph. Each op is a record holding its attributes; it knows how
 * many inputs it takes, the shape it produces and the learned tensors it needs. Gradient rules
 * and emitters live elsewhere, one per op kind.
 */
public sealed interface Op permits Input, Conv2d, ConvTranspose2d, Pool2d, GlobalPool, Dense,
        Flatten, Dropout, BatchNorm, Activate, Maxout, Add, Concat, PixelShuffle, Normalize, Rescale,
        Pad, ConvPool {

    /** Calls the {@code visitor} method for this op's kind. */
    <R> R accept(OpVisitor<R> visitor);

    /** The op's name in the language and in printed IR, e.g. {@code conv2d}. */
    String kind();

    /** Number of inputs: 0 for {@link Input}, 1 for most ops, {@link #VARIADIC} for add/concat. */
    default int arity() {
        return 1;
    }

    int VARIADIC = -1;

    /** The output shape for these input shapes, or why the inputs do not fit. */
    Shape inferShape(List<Shape> inputs) throws ShapeException;

    /** Learned tensors for these input shapes, in the order the weights file lists them. */
    default List<ParamSpec> params(List<Shape> inputs) {
        return List.of();
    }

    /**
     * Floating-point operations for one image (a multiply-add counts 2), for {@code striate
     * summary}. The default is one per output element (element-wise ops).
     */
    default long flops(List<Shape> inputs, Shape output) {
        return output.size();
    }

    /** Attributes for printed IR and summaries, e.g. {@code 32, kernel=3x3, stride=1}. */
    String describe();

    /** Requires a {@code [C, H, W]} input. */
    static Shape requireMap(Op op, Shape in) throws ShapeException {
        if (in.rank() != 3) {
            throw new ShapeException(dev.striate.diag.ErrorCode.WRONG_RANK,
                    op.kind() + " expects a [channels, height, width] input, got " + in
                            + (in.rank() == 1 ? " (a flat vector)" : ""));
        }
        return in;
    }

    /**
     * One spatial output size, O = floor((W + P - D(K-1) - 1) / S) + 1, where P is the total
     * padding; fails if the (dilated) window is larger than the padded input.
     */
    static int windowOutput(Op op, String axis, int in, long padTotal, int kernel, int stride, int dilation)
            throws ShapeException {
        long span = (long) dilation * (kernel - 1) + 1;
        if ((long) in + padTotal > Integer.MAX_VALUE) {
            // generated code indexes windows over the padded input with int arithmetic
            throw new ShapeException(dev.striate.diag.ErrorCode.TOO_LARGE, op.kind() + ": the padded input has "
                    + Sizes.count((long) in + padTotal) + " " + axis + "; at most " + Sizes.count(Integer.MAX_VALUE)
                    + " (Java's int)");
        }
        if (span > (long) in + padTotal) {
            throw new ShapeException(dev.striate.diag.ErrorCode.KERNEL_TOO_LARGE,
                    op.kind() + ": the " + (dilation > 1 ? "dilated " : "") + "window spans " + span
                            + " " + axis + " but the padded input has only " + ((long) in + padTotal));
        }
        return Math.toIntExact(((long) in + padTotal - span) / stride + 1);
    }
}
