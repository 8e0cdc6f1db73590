package dev.striate.ir;

/**
 * The geometry of one (possibly transposed) 2-D convolution over one sample, as every code
 * generator sees it: input {@code [inC, inH, inW]}, output {@code [outC, outH, outW]}, a
 * {@code kh x kw} kernel with strides {@code sh, sw}, dilations {@code dh, dw}, the top and left
 * padding, and {@code groups}. For a transposed convolution the padding is the one it removes
 * from its output ({@link ConvTranspose2d#padH()}, {@link ConvTranspose2d#padW()}).
 */
public record ConvGeometry(boolean transposed, int inC, int inH, int inW, int outC, int outH, int outW,
                           int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft, int groups) {

    /** The geometry of {@code op} from {@code in} to {@code out} (both {@code [C, H, W]}). */
    public static ConvGeometry of(Conv2d op, Shape in, Shape out) {
        Padding.Explicit p = op.resolvedPadding(in);
        return new ConvGeometry(false, in.channels(), in.height(), in.width(), out.channels(), out.height(),
                out.width(), op.kernelH(), op.kernelW(), op.strideH(), op.strideW(), op.dilationH(), op.dilationW(),
                p.top(), p.left(), op.groups());
    }

    /** The geometry of {@code op} from {@code in} to {@code out} (both {@code [C, H, W]}). */
    public static ConvGeometry of(ConvTranspose2d op, Shape in, Shape out) {
        return new ConvGeometry(true, in.channels(), in.height(), in.width(), out.channels(), out.height(),
                out.width(), op.kernelH(), op.kernelW(), op.strideH(), op.strideW(), op.dilationH(), op.dilationW(),
                op.padH(), op.padW(), op.groups());
    }

    /** Input channels per group. */
    public int inPerGroup() {
        return inC / groups;
    }

    /** Output channels per group. */
    public int outPerGroup() {
        return outC / groups;
    }

    /** Floats of the input: {@code inC * inH * inW}. */
    public int inSize() {
        return inC * inH * inW;
    }

    /** Floats of the output: {@code outC * outH * outW}. */
    public int outSize() {
        return outC * outH * outW;
    }

    /** Rows of the unfolded input (im2col's {@code K}): {@code inC * kh * kw}. */
    public int k() {
        return inC * kh * kw;
    }

    /** Rows of the unfolded input per group: {@code k() / groups}. */
    public int kg() {
        return k() / groups;
    }

    /** Output positions (im2col's {@code J}): {@code outH * outW}. */
    public int j() {
        return outH * outW;
    }

    /** True when every window lies inside the input (no padded cell is ever read); for a plain convolution. */
    public boolean fullyInside() {
        return padTop == 0 && padLeft == 0 && (outH - 1) * sh + (kh - 1) * dh < inH
                && (outW - 1) * sw + (kw - 1) * dw < inW;
    }
}
