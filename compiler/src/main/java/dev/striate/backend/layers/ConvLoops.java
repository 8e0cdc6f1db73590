package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activation;
import dev.striate.ir.ConvGeometry;
import dev.striate.text.Lit;
import java.util.function.UnaryOperator;

/**
 * The geometry of a convolution, and the loop nest of the transposed convolution (the forward
 * convolution runs as a product over scratch rows, {@link ConvRows}). For each output channel the
 * output plane is set to the bias, then every (input channel, ky, kx) tap adds {@code k * input}
 * over the rows and columns where the tap lands inside both tensors; the element-wise activation
 * runs last on the channel while it is in cache.
 *
 * <p>Kernel windows of at most {@link #MAX_UNROLLED_TAPS} taps are unrolled: each tap's valid
 * row and column ranges are computed here, so the inner loops have literal bounds, no branches
 * and unit stride (stride 1), which C2 auto-vectorizes. Larger windows loop over ky and kx and
 * compute the ranges at run time with the same formulas.
 *
 * <p>A tap maps a loop index {@code v} (output index for conv, input index for transposed conv)
 * to {@code v * stride + d}, which must land in {@code [0, n)}: {@code v >= ceil(-d / stride)}
 * and {@code v <= floor((n - 1 - d) / stride)}.
 */
final class ConvLoops {
    /** Windows up to 5x5 are unrolled; this keeps a layer method near 2.5 KB of bytecode. */
    static final int MAX_UNROLLED_TAPS = 25;

    /**
     * One (possibly transposed) convolution layer: its geometry, weights at {@code wOff} as
     * [F][C/g][kh][kw], bias at {@code biasOff} (or -1) and its fused activation; the code reads
     * them at {@code weightsAt} and {@code biasAt} (null: no bias), the names of those offsets. A
     * convolution over scratch rows ({@link ConvRows}) reads its unfolded input from row
     * {@code unfoldedRow} on and its copied weight rows from {@code weightRow} on (the names of those
     * indices, {@link ConvRows#request}; null before the rows are requested or when not used).
     */
    record Layer(ConvGeometry conv, int wOff, int biasOff, Activation activation, String weightsAt, String biasAt,
                 String unfoldedRow, String weightRow) {
        /** Weights and bias at literal offsets ({@code biasOff} -1: no bias). */
        Layer(ConvGeometry conv, int wOff, int biasOff, Activation activation) {
            this(conv, wOff, biasOff, activation, String.valueOf(wOff), biasOff >= 0 ? String.valueOf(biasOff) : null,
                    null, null);
        }

        /** This layer reading its scratch rows at the named indices. */
        Layer withRows(String unfolded, String weights) {
            return new Layer(conv, wOff, biasOff, activation, weightsAt, biasAt, unfolded, weights);
        }

        /**
         * Adds the layer's {@code weight} (laid out by {@code layout}) and, with {@code bias}, its
         * {@code bias} to the blob at named offsets ({@link LayerContext#addWeights}).
         */
        static Layer named(LayerContext ctx, ConvGeometry conv, boolean bias, Activation activation,
                           UnaryOperator<float[]> layout) {
            int wOff = ctx.blob().size();
            String w = ctx.addWeights("weight", layout.apply(ctx.weight("weight")));
            int bOff = bias ? ctx.blob().size() : -1;
            String b = bias ? ctx.addWeights("bias", ctx.weight("bias")) : null;
            return new Layer(conv, wOff, bOff, activation, w, b, null, null);
        }
    }

    private ConvLoops() {
    }

    static CodeBlock body(Layer g) {
        int cpg = g.conv().inC() / g.conv().groups();
        int fpg = g.conv().outC() / g.conv().groups();
        int outPlane = g.conv().outH() * g.conv().outW();
        int inPlane = g.conv().inH() * g.conv().inW();
        int taps = g.conv().kh() * g.conv().kw();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int oc = 0; oc < $L; oc++)", g.conv().outC());
        b.addStatement("int o = oc * $L", outPlane);
        if (g.biasAt() != null) {
            b.addStatement("float bias = w[$L]", Lit.add("oc", g.biasAt()));
        } else {
            b.addStatement("float bias = 0f");
        }
        b.beginControlFlow("for (int i = 0; i < $L; i++)", outPlane)
                .addStatement("out[o + i] = bias")
                .endControlFlow();
        if (cpg == 1) {
            // one input channel per output channel (depthwise, or a single input channel)
            b.addStatement("int c0 = $L", g.conv().groups() == 1 ? "0"
                    : fpg == 1 ? "oc * " + inPlane : "oc / " + fpg + " * " + inPlane);
            b.addStatement("int wi = $L", Lit.add("oc * " + taps, g.weightsAt()));
        } else {
            b.beginControlFlow("for (int ic = 0; ic < $L; ic++)", cpg);
            if (g.conv().groups() == 1) {
                b.addStatement("int c0 = ic * $L", inPlane);
            } else {
                b.addStatement("int c0 = (oc / $L * $L + ic) * $L", fpg, cpg, inPlane);
            }
            b.addStatement("int wi = $L", Lit.add("(oc * " + cpg + " + ic) * " + taps, g.weightsAt()));
        }
        if (taps <= MAX_UNROLLED_TAPS) {
            unrolled(b, g);
        } else {
            looped(b, g);
        }
        if (cpg != 1) {
            b.endControlFlow();
        }
        ActivationCode.applyInPlace(b, g.activation(), "out", "o", outPlane);
        b.endControlFlow();
        return b.build();
    }

    private static void unrolled(CodeBlock.Builder b, Layer g) {
        for (int ky = 0; ky < g.conv().kh(); ky++) {
            int dy = ky * g.conv().dh() - g.conv().padTop();
            int v0 = Math.max(0, ceilDiv(-dy, g.conv().sh()));
            int v1 = Math.min(loopH(g), Math.floorDiv(mappedH(g) - 1 - dy, g.conv().sh()) + 1);
            for (int kx = 0; kx < g.conv().kw(); kx++) {
                int dx = kx * g.conv().dw() - g.conv().padLeft();
                int u0 = Math.max(0, ceilDiv(-dx, g.conv().sw()));
                int u1 = Math.min(loopW(g), Math.floorDiv(mappedW(g) - 1 - dx, g.conv().sw()) + 1);
                if (v0 >= v1 || u0 >= u1) {
                    continue;
                }
                b.add("// tap ($L, $L)\n", ky, kx);
                b.addStatement("float k$L_$L = w[$L]", ky, kx, Lit.plus("wi", ky * g.conv().kw() + kx));
                rows(b, g, "k" + ky + "_" + kx, String.valueOf(v0), String.valueOf(v1),
                        String.valueOf(u0), String.valueOf(u1), dy * mappedW(g) + dx, null);
            }
        }
    }

    private static void looped(CodeBlock.Builder b, Layer g) {
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.conv().kh())
                .addStatement("int dy = $L", Lit.plus(Lit.times("ky", g.conv().dh()), -g.conv().padTop()))
                .addStatement("int v0 = $L", firstInside("dy", g.conv().sh()))
                .addStatement("int v1 = $L", endInside(loopH(g), mappedH(g), "dy", g.conv().sh()))
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.conv().kw())
                .addStatement("int dx = $L", Lit.plus(Lit.times("kx", g.conv().dw()), -g.conv().padLeft()))
                .addStatement("int u0 = $L", firstInside("dx", g.conv().sw()))
                .addStatement("int u1 = $L", endInside(loopW(g), mappedW(g), "dx", g.conv().sw()))
                .addStatement("float k = w[wi + ky * $L + kx]", g.conv().kw());
        rows(b, g, "k", "v0", "v1", "u0", "u1", 0, "dy * " + mappedW(g) + " + dx");
        b.endControlFlow().endControlFlow();
    }

    /** The row and column loops of one tap; the mapped side is offset by {@code shift} (+ {@code shiftExpr}). */
    private static void rows(CodeBlock.Builder b, Layer g, String k, String v0, String v1, String u0, String u1,
                             int shift, String shiftExpr) {
        String v = g.conv().transposed() ? "iy" : "oy";
        String u = g.conv().transposed() ? "ix" : "ox";
        String loopBase = g.conv().transposed() ? "c0" : "o";
        String mappedBase = g.conv().transposed() ? "o" : "c0";
        String mapped = shiftExpr == null ? Lit.plus(mappedBase, shift) : mappedBase + " + " + shiftExpr;
        String lr = g.conv().transposed() ? "irow" : "orow";
        String mr = g.conv().transposed() ? "orow" : "irow";
        b.beginControlFlow("for (int $L = $L; $L < $L; $L++)", v, v0, v, v1, v)
                .addStatement("int $L = $L + $L * $L", lr, loopBase, v, loopW(g))
                .addStatement("int $L = $L + $L * $L", mr, mapped, v, g.conv().sh() * mappedW(g))
                .beginControlFlow("for (int $L = $L; $L < $L; $L++)", u, u0, u, u1, u);
        String mappedIdx = g.conv().sw() == 1 ? mr + " + " + u : mr + " + " + u + " * " + g.conv().sw();
        if (g.conv().transposed()) {
            b.addStatement("out[$L] += $L * in[irow + $L]", mappedIdx, k, u);
        } else {
            b.addStatement("out[orow + $L] += $L * in[$L]", u, k, mappedIdx);
        }
        b.endControlFlow().endControlFlow();
    }

    private static int loopH(Layer g) {
        return g.conv().transposed() ? g.conv().inH() : g.conv().outH();
    }

    private static int loopW(Layer g) {
        return g.conv().transposed() ? g.conv().inW() : g.conv().outW();
    }

    private static int mappedH(Layer g) {
        return g.conv().transposed() ? g.conv().outH() : g.conv().inH();
    }

    private static int mappedW(Layer g) {
        return g.conv().transposed() ? g.conv().outW() : g.conv().inW();
    }

    /** {@code max(0, ceil(-d / s))}: the first loop index whose tap, shifted by {@code d}, lands inside. */
    static String firstInside(String d, int s) {
        return s == 1 ? "Math.max(0, -" + d + ")" : "Math.max(0, Math.floorDiv(-" + d + " + " + (s - 1) + ", " + s + "))";
    }

    /** One past the last loop index below {@code loop} whose tap, shifted by {@code d}, lands below {@code mapped}. */
    static String endInside(int loop, int mapped, String d, int s) {
        return s == 1 ? "Math.min(" + loop + ", " + mapped + " - " + d + ")"
                : "Math.min(" + loop + ", Math.floorDiv(" + (mapped - 1) + " - " + d + ", " + s + ") + 1)";
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
