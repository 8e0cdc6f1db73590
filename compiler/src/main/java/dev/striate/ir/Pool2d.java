package dev.striate.ir;

import java.util.List;

/**
 * Max or average pooling over {@code kh x kw} windows. Padded cells never win a max; for the
 * average they count when {@link #countIncludePad()} is true (PyTorch's default) and are left
 * out of the divisor otherwise (Keras's behaviour with {@code padding='same'}).
 */
public record Pool2d(Kind poolKind, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                     boolean countIncludePad) implements Op {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitPool2d(this);
    }

    /** Which reduction the window applies. */
    public enum Kind {
        MAX,
        AVG
    }

    public String kind() {
        return poolKind == Kind.MAX ? "maxpool" : "avgpool";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = Op.requireMap(this, inputs.get(0));
        Padding.Explicit p = resolvedPadding(in);
        if ((long) kernelH * kernelW > Integer.MAX_VALUE) {
            throw new ShapeException(dev.striate.diag.ErrorCode.TOO_LARGE, kind() + ": a window of " + kernelH + "x"
                    + kernelW + " has " + Sizes.count((long) kernelH * kernelW) + " elements; at most "
                    + Sizes.count(Integer.MAX_VALUE) + " (Java's int)");
        }
        int h = Op.windowOutput(this, "rows", in.height(), (long) p.top() + p.bottom(), kernelH, strideH, 1);
        int w = Op.windowOutput(this, "columns", in.width(), (long) p.left() + p.right(), kernelW, strideW, 1);
        return Shape.chw(in.channels(), h, w);
    }

    @Override
    public boolean isIdentityOn(Shape in) {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && resolvedPadding(in).isZero();
    }

    /**
     * True for 2x2 windows with stride 2 and no padding on {@code in} (the courses' pool: disjoint windows, the output
     * half the input's size, an odd last row or column in none), which trainers run on the runtime's
     * {@code Kernels.maxPool2x2}.
     */
    public boolean isPairsOn(Shape in) {
        return kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && resolvedPadding(in).isZero();
    }

    /** The same pooling with padding {@code p}. */
    public Pool2d withPadding(Padding p) {
        return new Pool2d(poolKind, kernelH, kernelW, strideH, strideW, p, countIncludePad);
    }

    /** The explicit padding for this input ({@code same} resolved). */
    public Padding.Explicit resolvedPadding(Shape in) {
        return padding.resolve(in.height(), in.width(), kernelH, kernelW, strideH, strideW, 1, 1);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        return Sizes.saturatingMultiply(output.size(), (long) kernelH * kernelW);
    }

    public String describe() {
        String s = "size=" + kernelH + "x" + kernelW + ", stride=" + strideH + "x" + strideW + ", padding=" + padding;
        return poolKind == Kind.AVG && !countIncludePad ? s + ", count_include_pad=false" : s;
    }
}
