package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import java.util.List;

/**
 * The vector class's layout helpers: copies between CHW and (padded) HWC, and the packing of conv,
 * dense and bias weights at load time in the order {@link SimdKernels}' kernels read them. Named in
 * {@link SimdKernels}' registry like every other helper.
 */
final class SimdLayouts {
    private SimdLayouts() {
    }

    /** The parameters of the copies into a padded HWC scratch: {@code (src, c, h, w, dst, pt, pl, wp)}. */
    private static final List<ParameterSpec> PAD_COPY = List.of(ParameterSpec.builder(float[].class, "src").build(),
            ParameterSpec.builder(int.class, "c").build(), ParameterSpec.builder(int.class, "h").build(),
            ParameterSpec.builder(int.class, "w").build(), ParameterSpec.builder(float[].class, "dst").build(),
            ParameterSpec.builder(int.class, "pt").build(), ParameterSpec.builder(int.class, "pl").build(),
            ParameterSpec.builder(int.class, "wp").build());

    static MethodSpec toHwc() {
        return SimdKernels.helper("toHwc", "Copies CHW {@code src} ({@code c x h x w}) into HWC {@code dst} of row pitch {@code wp}\n"
                + "pixels, shifted by {@code (pt, pl)}: the padded input of a convolution.")
                .addParameters(PAD_COPY).addCode(CodeBlock.builder()
                        .beginControlFlow("for (int y = 0; y < h; y++)")
                        .beginControlFlow("for (int x = 0; x < w; x++)")
                        .addStatement("int o = ((y + pt) * wp + x + pl) * c")
                        .addStatement("int i = y * w + x")
                        .beginControlFlow("for (int ch = 0; ch < c; ch++)")
                        .addStatement("dst[o + ch] = src[ch * $L + i]", "h * w")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .build())
                .build();
    }

    static MethodSpec padHwc() {
        return SimdKernels.helper("padHwc", "Copies HWC {@code src} ({@code h x w} pixels of {@code c}) into HWC {@code dst} of row pitch\n"
                + "{@code wp} pixels, shifted by {@code (pt, pl)}.")
                .addParameters(PAD_COPY).addCode(CodeBlock.builder()
                        .beginControlFlow("for (int y = 0; y < h; y++)")
                        .addStatement("System.arraycopy(src, y * w * c, dst, ((y + pt) * wp + pl) * c, w * c)")
                        .endControlFlow()
                        .build())
                .build();
    }

    static MethodSpec padChw() {
        return SimdKernels.helper("padChw", "Copies CHW {@code src} ({@code c} planes of {@code h x w}) into CHW {@code dst} of planes\n"
                + "{@code hp x wp}, shifted by {@code (pt, pl)}; only the interior is written (the borders stay zero).")
                .addParameters(PAD_COPY).addParameter(int.class, "hp").addCode(CodeBlock.builder()
                        .beginControlFlow("for (int ch = 0; ch < c; ch++)")
                        .beginControlFlow("for (int y = 0; y < h; y++)")
                        .addStatement("System.arraycopy(src, (ch * h + y) * w, dst, (ch * hp + y + pt) * wp + pl, w)")
                        .endControlFlow()
                        .endControlFlow()
                        .build())
                .build();
    }

    static MethodSpec toChw() {
        return SimdKernels.helper("toChw", "Copies HWC {@code src} ({@code h x w} pixels of {@code c}) into CHW {@code dst}.")
                .addParameter(float[].class, "src").addParameter(int.class, "c").addParameter(int.class, "h")
                .addParameter(int.class, "w").addParameter(float[].class, "dst")
                .addCode(CodeBlock.builder()
                        .addStatement("int n = h * w")
                        .beginControlFlow("for (int i = 0; i < n; i++)")
                        .beginControlFlow("for (int ch = 0; ch < c; ch++)")
                        .addStatement("dst[ch * n + i] = src[i * c + ch]")
                        .endControlFlow()
                        .endControlFlow()
                        .build())
                .build();
    }

    static MethodSpec packConv() {
        return SimdKernels.helper("packConv", "Packs the weights of {@code f} filters ({@code c x kh x kw}, filter {@code o}'s weight\n"
                + "{@code (ci, ky, kx)} at {@code w[off + o * fs + ((ci * kh + ky) * kw + kx) * ks]}) in the order\n"
                + "the convolution kernels read them: vector {@code v} of {@code L} filters, then step\n"
                + "{@code (ky, kx, ci)},\n"
                + "then lane; filters beyond {@code f} are zero.")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addParameter(int.class, "c").addParameter(int.class, "kh").addParameter(int.class, "kw")
                .addParameter(int.class, "fs").addParameter(int.class, "ks")
                .addCode(CodeBlock.builder()
                        .addStatement("int k = c * kh * kw")
                        .addStatement("float[] p = new float[(f + L - 1) / L * k * L]")
                        .beginControlFlow("for (int o = 0; o < f; o++)")
                        .addStatement("int base = o / L * k * L + o % L")
                        .beginControlFlow("for (int ky = 0; ky < kh; ky++)")
                        .beginControlFlow("for (int kx = 0; kx < kw; kx++)")
                        .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                        .addStatement("int s = (ky * kw + kx) * c + ci")
                        .addStatement("p[base + s * L] = w[off + o * fs + ((ci * kh + ky) * kw + kx) * ks]")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }

    static MethodSpec packDense() {
        return SimdKernels.helper("packDense", "Packs a dense layer's weights ({@code w[off + i * units + o]} for input {@code i} in\n"
                + "channel-major order) as {@link #packConv} does for one 1x1 filter step per input; when the input is\n"
                + "a flattened HWC map ({@code mc > 0}: {@code mc} channels of {@code mn} pixels), step {@code s}\n"
                + "takes the input that flatten put at HWC position {@code s}.")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "units")
                .addParameter(int.class, "n").addParameter(int.class, "mc").addParameter(int.class, "mn")
                .addCode(CodeBlock.builder()
                        .addStatement("float[] p = new float[(units + L - 1) / L * n * L]")
                        .beginControlFlow("for (int o = 0; o < units; o++)")
                        .addStatement("int base = o / L * n * L + o % L")
                        .beginControlFlow("for (int s = 0; s < n; s++)")
                        .addStatement("int i = mc > 0 ? s % mc * mn + s / mc : s")
                        .addStatement("p[base + s * L] = w[off + i * units + o]")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }

    static MethodSpec packBias() {
        return SimdKernels.helper("packBias", "The {@code f} biases at {@code w[off]} (zeros when {@code off < 0}), padded with zeros to\n"
                + "whole vectors.")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addCode(CodeBlock.builder()
                        .addStatement("float[] p = new float[(f + L - 1) / L * L]")
                        .beginControlFlow("if (off >= 0)")
                        .addStatement("System.arraycopy(w, off, p, 0, f)")
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }
}
