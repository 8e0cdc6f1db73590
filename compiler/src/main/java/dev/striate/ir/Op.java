package dev.striate.ir;

import java.util.List;

/**
 * A typed operation of the IR graph. Each op is a record holding its attributes; it knows how
 * many inputs it takes, the shape it produces, the learned tensors it needs and its properties
 * the passes and back ends ask about (whether it is a view or the identity, which activation it
 * applies).
 * Everything that depends on the op kind and lives elsewhere (emitters, gradient rules, the
 * reference interpreter) dispatches through {@link #accept} with an {@link OpVisitor}, so a new
 * op does not compile until each of them handles it. The weighted linear layers (conv2d,
 * conv_transpose2d, dense) are the sub-family {@link LinearLayer}, the per-channel affine input
 * ops (rescale, normalize) {@link ChannelAffineOp}.
 */
public sealed interface Op permits Input, LinearLayer, Pool2d, GlobalPool, Flatten, Dropout, BatchNorm,
        Activate, Maxout, Add, Concat, PixelShuffle, ChannelAffineOp, Pad, ConvPool, UntiedBias {

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

    /**
     * True when, in compiled inference code, this op computes nothing: its value is its one
     * input's values, element for element in the same order, so it is stored in its input's
     * buffer (a view of it), and no method and no copy are emitted for it. Flatten is a view (a
     * channel-major {@code [C, H, W]} map already is its flat vector) and so is dropout (the
     * identity at inference). The memory planner, the inference back ends and the checks that
     * look through such ops all read this one definition. The model {@link Input} is not a view
     * (it has no input: its values are the caller's array). Always true when
     * {@link #isTrainingView()} is.
     */
    default boolean isInferenceView() {
        return isTrainingView();
    }

    /**
     * True when, in the generated trainer, this op is a view in both directions: its activation
     * array is its input's, its gradient array is its input's gradient, and it has no forward,
     * backward or inference method. Only flatten; dropout is not (in training it multiplies by a
     * random mask and keeps the mask for the backward pass, and the trainer's inference methods
     * copy its input).
     */
    default boolean isTrainingView() {
        return false;
    }

    /**
     * True when, on one input of shape {@code in}, this op returns that input unchanged (same
     * shape, same values) in every mode, so the {@code EliminateIdentity} pass can remove it:
     * a linear activation layer, {@code dropout(rate=0)}, 1x1 pooling with stride 1 and no
     * padding, a flatten of a flat tensor, a rescale or normalize that maps every value to
     * itself. False by default.
     */
    default boolean isIdentityOn(Shape in) {
        return false;
    }

    /**
     * The activation this op applies last: a standalone activation layer's, or a
     * {@link LinearLayer}'s fused one (possibly {@link Activation#IDENTITY}); null for every
     * other op.
     */
    default Activation appliedActivation() {
        return null;
    }

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
