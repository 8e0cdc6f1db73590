package dev.striate.ir;

import dev.striate.diag.ErrorCode;
import java.util.List;

/**
 * Transposed 2-D convolution with PyTorch's semantics and layout: weight
 * {@code [C, F/groups, kh, kw]}; output H = (H_in - 1) * S - 2P + D(K - 1) + output_padding + 1.
 */
public record ConvTranspose2d(int filters, int kernelH, int kernelW, int strideH, int strideW,
                              int padH, int padW, int outputPadH, int outputPadW,
                              int dilationH, int dilationW, int groups, boolean bias, Activation activation)
        implements LinearLayer {
    @Override
    public <R> R accept(OpVisitor<R> visitor) {
        return visitor.visitConvTranspose2d(this);
    }

    public String kind() {
        return "conv_transpose2d";
    }

    public Shape inferShape(List<Shape> inputs) throws ShapeException {
        Shape in = Op.requireMap(this, inputs.get(0));
        if (in.channels() % groups != 0 || filters % groups != 0) {
            throw new ShapeException(ErrorCode.NOT_DIVISIBLE, "conv_transpose2d: " + in.channels()
                    + " input channels and " + filters + " filters must both divide into " + groups + " groups");
        }
        if (outputPadH >= Math.max(strideH, dilationH) || outputPadW >= Math.max(strideW, dilationW)) {
            throw new ShapeException(ErrorCode.BAD_VALUE,
                    "conv_transpose2d: output_padding must be smaller than the stride or the dilation");
        }
        long h = transposedSize(in.height(), strideH, padH, dilationH, kernelH, outputPadH);
        long w = transposedSize(in.width(), strideW, padW, dilationW, kernelW, outputPadW);
        if (h <= 0 || w <= 0) {
            throw new ShapeException(ErrorCode.KERNEL_TOO_LARGE, "conv_transpose2d: padding " + padH + "x" + padW
                    + " leaves an empty output (" + h + "x" + w + ")");
        }
        return Shape.chw(filters, Math.toIntExact(h), Math.toIntExact(w));
    }

    /** (in - 1) * stride - 2 * pad + dilation * (kernel - 1) + outputPad + 1, in long: cannot overflow. */
    private static long transposedSize(int in, int stride, int pad, int dilation, int kernel, int outputPad) {
        return (in - 1L) * stride - 2L * pad + (long) dilation * (kernel - 1L) + outputPad + 1;
    }

    @Override
    public List<ParamSpec> params(List<Shape> inputs) {
        int c = inputs.get(0).channels();
        ParamSpec w = new ParamSpec("weight", Shape.of(c, filters / groups, kernelH, kernelW), Inits.forWeight(activation));
        return bias ? List.of(w, new ParamSpec("bias", Shape.of(filters), ParamSpec.Init.ZEROS)) : List.of(w);
    }

    @Override
    public long flops(List<Shape> inputs, Shape output) {
        Shape in = inputs.get(0);
        long macs = (long) in.size() * (filters / groups) * kernelH * kernelW;
        return 2 * macs + (bias ? output.size() : 0);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder().append(filters).append(", kernel=").append(kernelH).append('x').append(kernelW)
                .append(", stride=").append(strideH).append('x').append(strideW)
                .append(", padding=").append(padH).append('x').append(padW);
        if (outputPadH != 0 || outputPadW != 0) {
            sb.append(", output_padding=").append(outputPadH).append('x').append(outputPadW);
        }
        return Conv2d.describeTail(sb, dilationH, dilationW, groups, bias, activation);
    }

    /**
     * {@code [C, F/groups, kh, kw]}: input channel {@code ic} of group {@code ic / (C/groups)}
     * feeds output channels {@code group * F/groups + fl}.
     */
    @Override
    public int outputChannelOf(int[] weightShape, int index) {
        int fpg = weightShape[1];
        int window = weightShape[2] * weightShape[3];
        int ic = index / (fpg * window);
        int fl = index / window % fpg;
        return ic / (weightShape[0] / groups) * fpg + fl;
    }

    @Override
    public ConvTranspose2d withActivation(Activation a) {
        return new ConvTranspose2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, outputPadH, outputPadW,
                dilationH, dilationW, groups, bias, a);
    }

    @Override
    public ConvTranspose2d withBias(boolean b) {
        return new ConvTranspose2d(filters, kernelH, kernelW, strideH, strideW, padH, padW, outputPadH, outputPadW,
                dilationH, dilationW, groups, b, activation);
    }
}
