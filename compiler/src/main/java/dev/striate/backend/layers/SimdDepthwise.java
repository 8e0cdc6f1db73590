package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.DEPTHWISE_PIXELS;
import static dev.striate.backend.layers.SimdKernels.DRIVER;
import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;

/**
 * The depthwise-convolution kernels of the generated Vector API class (multiplier 1, channels in
 * lanes, HWC): the micro-kernels, their driver and the weight packing. Registered and emitted through
 * {@link SimdKernels}; they share its driver parameters and helper builder.
 */
final class SimdDepthwise {
    private SimdDepthwise() {
    }

    /**
     * A depthwise micro-kernel: one channel vector (lanes {@code co..co+L-1}) x {@code pixels} output
     * pixels; per (ky, kx) step one weight load reused for every pixel. The masked one (a single pixel)
     * serves the last vector when the channel count is not a multiple of {@code L}: its loads are whole
     * vectors (lanes past the last channel read the next pixel, or the scratch's slack, times zero weights;
     * masked loads allocate on JDK 17) and its lanes inside the channels are stored through {@code spill} (a
     * masked store allocates on JDK 17 too).
     */
    static MethodSpec depthwiseKernel(int pixels, boolean masked) {
        MethodSpec.Builder m = helper(masked ? "depthwiseTail" : "depthwise" + pixels, "The channel vector at lane {@code co} of "
                + (masked ? "output pixel {@code p}, the channels from {@code co} to {@code f} only" : pixels + " output pixels from {@code p}")
                + ", depthwise\n"
                + "convolution in HWC: each lane's channel sums, from its bias, {@code w[s * cp + co] * x[pix[p] + off[s] + co]}\n"
                + "over the steps {@code s} (ky, kx in that order) with FMAs, in one flat loop; then\n"
                + "{@code max(v, floor)} (relu or nothing) into {@code y[p * f + co]}.")
                .addParameter(float[].class, "x").addParameter(int[].class, "pix").addParameter(int.class, "p")
                .addParameter(int.class, "co").addParameter(int[].class, "off").addParameter(float[].class, "w")
                .addParameter(int.class, "cp").addParameter(float[].class, "b").addParameter(float[].class, "y")
                .addParameter(int.class, "f").addParameter(float.class, "floor");
        if (masked) {
            m.addParameter(float[].class, "spill");
        }
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("$T bias = $T.fromArray(S, b, co)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int q = 0; q < pixels; q++) {
            b.addStatement("int x$L = pix[p$L] + co", q, q == 0 ? "" : " + " + q)
                    .addStatement("$T a$L = bias", FLOAT_VECTOR, q);
        }
        b.addStatement("int wi = co")
                .addStatement("int steps = off.length")
                .beginControlFlow("for (int s = 0; s < steps; s++)")
                .addStatement("int o = off[s]")
                .addStatement("$T k = $T.fromArray(S, w, wi)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int q = 0; q < pixels; q++) {
            b.addStatement("a$L = k.fma($T.fromArray(S, x, x$L + o), a$L)", q, FLOAT_VECTOR, q, q);
        }
        b.addStatement("wi += cp")
                .endControlFlow()
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
        if (masked) {
            // the lanes inside the channels, through spill: a masked store allocates on JDK 17 (see SimdKernels)
            b.addStatement("a0.max(lo).intoArray(spill, 0)")
                    .addStatement("System.arraycopy(spill, 0, y, p * f + co, f - co)");
        } else {
            for (int q = 0; q < pixels; q++) {
                b.addStatement("a$L.max(lo).intoArray(y, (p$L) * f + co)", q, q == 0 ? "" : " + " + q);
            }
        }
        return m.addCode(b.build()).build();
    }

    static MethodSpec depthwiseDriver() {
        MethodSpec.Builder m = helper("depthwise", "A depthwise convolution (multiplier 1) into HWC {@code y}: output pixel {@code p}\n"
                + "reads its window from HWC {@code x} at {@code pix[p] + off[s]} for the steps {@code s} (ky, kx), the\n"
                + "{@code f} channels in {@code ceil(f / L)} vectors, weights packed by {@link #packDepthwise}; each channel\n"
                + "vector sweeps all pixels in blocks of " + DEPTHWISE_PIXELS[0] + " (smaller for the remainder); a last\n"
                + "partial vector runs pixel by pixel, its lanes inside the channels stored through {@code spill}.")
                .addParameters(DRIVER).addParameter(SimdKernels.SPILL);
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int nv = (f + L - 1) / L")
                .addStatement("int cp = nv * L")
                .addStatement("int full = tail == ALL ? nv : nv - 1")
                .addStatement("int pixels = pix.length")
                .beginControlFlow("for (int v = 0; v < full; v++)")
                .addStatement("int co = v * L")
                .addStatement("int p = 0");
        for (int pixels : DEPTHWISE_PIXELS) {
            b.beginControlFlow("for (; p + $L <= pixels; p += $L)", pixels, pixels)
                    .addStatement("depthwise$L(x, pix, p, co, off, w, cp, b, y, f, floor)", pixels)
                    .endControlFlow();
        }
        b.endControlFlow()
                .beginControlFlow("if (full < nv)")
                .beginControlFlow("for (int p = 0; p < pixels; p++)")
                .addStatement("depthwiseTail(x, pix, p, full * L, off, w, cp, b, y, f, floor, spill)")
                .endControlFlow()
                .endControlFlow();
        return m.addCode(b.build()).build();
    }

    static MethodSpec packDepthwise() {
        return helper("packDepthwise", "Packs the weights of a depthwise convolution ({@code f} channels, {@code taps = kh * kw},\n"
                + "channel {@code o}'s tap {@code s} at {@code w[off + o * taps + s]}) as {@code [s][f padded to whole vectors]};\n"
                + "channels beyond {@code f} are zero.")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addParameter(int.class, "taps")
                .addCode(CodeBlock.builder()
                        .addStatement("int cp = (f + L - 1) / L * L")
                        .addStatement("float[] p = new float[taps * cp]")
                        .beginControlFlow("for (int o = 0; o < f; o++)")
                        .beginControlFlow("for (int s = 0; s < taps; s++)")
                        .addStatement("p[s * cp + o] = w[off + o * taps + s]")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }
}
