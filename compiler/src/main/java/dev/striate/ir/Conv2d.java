package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/**
 * 2-D convolution (PyTorch semantics: cross-correlation), weight {@code [F, C/groups, kh, kw]},
 * optional bias {@code [F]}, then {@link #activation()}. Depthwise is {@code groups == C}.
 */
public record Conv2d(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                     int dilationH, int dilationW, int groups, boolean bias, Activation activation)
        implements LinearLayer {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitConv2d(this);
    }

    public String kind() {
        return "conv2d";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = Op.requireMap(this, inputs.get(0));
        if (in.channels() % groups != 0) {
            throw new ShapeException(ErrorCode.NOT_DIVISIBLE, "conv2d: " + in.channels()
                    + " input channels cannot be split into " + groups + " groups");
        }
        if (filters % groups != 0) {
            throw new ShapeException(ErrorCode.NOT_DIVISIBLE, "conv2d: " + filters
                    + " filters cannot be split into " + groups + " groups");
        }
        Padding.Explicit p = resolvedPadding(in);
        int h = Op.windowOutput(this, "rows", in.height(), (long) p.top() + p.bottom(), kernelH, strideH, dilationH);
        int w = Op.windowOutput(this, "columns", in.width(), (long) p.left() + p.right(), kernelW, strideW, dilationW);
        return Shape.chw(filters, h, w);
    }

    /** The explicit padding for this input ({@code same} resolved). */
    public Padding.Explicit resolvedPadding(Shape in) {
        return padding.resolve(in.height(), in.width(), kernelH, kernelW, strideH, strideW, dilationH, dilationW);
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        int c = inputs.get(0).channels();
        ParamSpec w = new ParamSpec("weight", Shape.of(filters, c / groups, kernelH, kernelW), Inits.forWeight(activation));
        return bias ? List.of(w, new ParamSpec("bias", Shape.of(filters), ParamSpec.Init.ZEROS)) : List.of(w);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        long macs = (long) output.size() * (inputs.get(0).channels() / groups) * kernelH * kernelW;
        return 2 * macs + (bias ? output.size() : 0);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder().append(filters).append(", kernel=").append(kernelH).append('x').append(kernelW);
        if (strideH != 1 || strideW != 1) {
            sb.append(", stride=").append(strideH).append('x').append(strideW);
        }
        sb.append(", padding=").append(padding);
        return describeTail(sb, dilationH, dilationW, groups, bias, activation);
    }

    /** The end of a (transposed) convolution's {@code describe()}: the settings that differ from their defaults. */
    static String describeTail(StringBuilder sb, int dilationH, int dilationW, int groups, boolean bias,
                               Activation activation) {
        if (dilationH != 1 || dilationW != 1) {
            sb.append(", dilation=").append(dilationH).append('x').append(dilationW);
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=false");
        }
        if (!activation.isIdentity()) {
            sb.append(", activation=").append(activation.display());
        }
        return sb.toString();
    }

    /** {@code [F, C/groups, kh, kw]}: output channel first. */
    @Override
    public int outputChannelOf(int[] weightShape, int index) {
        return LinearLayer.leadingIndex(weightShape, index);
    }

    @Override
    public Conv2d withActivation(Activation a) {
        return new Conv2d(filters, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, groups, bias, a);
    }

    @Override
    public Conv2d withBias(boolean b) {
        return new Conv2d(filters, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, groups, b,
                activation);
    }

    /** The same convolution with padding {@code p}. */
    public Conv2d withPadding(Padding p) {
        return new Conv2d(filters, kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, groups, bias,
                activation);
    }
}
