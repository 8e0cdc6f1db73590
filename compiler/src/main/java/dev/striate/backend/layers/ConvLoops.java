package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activation;
import dev.striate.ir.ConvGeometry;
import dev.striate.text.Lit;

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
     * [F][C/g][kh][kw], bias at {@code biasOff} (or -1) and its fused activation.
     */
    record Layer(ConvGeometry conv, int wOff, int biasOff, Activation activation) {
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
        if (g.biasOff() >= 0) {
            b.addStatement("float bias = w[$L]", Lit.plus("oc", g.biasOff()));
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
            b.addStatement("int wi = $L", Lit.plus("oc * " + taps, g.wOff()));
        } else {
            b.beginControlFlow("for (int ic = 0; ic < $L; ic++)", cpg);
            if (g.conv().groups() == 1) {
                b.addStatement("int c0 = ic * $L", inPlane);
            } else {
                b.addStatement("int c0 = (oc / $L * $L + ic) * $L", fpg, cpg, inPlane);
            }
            b.addStatement("int wi = $L", Lit.plus("(oc * " + cpg + " + ic) * " + taps, g.wOff()));
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
                .addStatement("int v0 = Math.max(0, Math.floorDiv(-dy + $L, $L))", g.conv().sh() - 1, g.conv().sh())
                .addStatement("int v1 = Math.min($L, Math.floorDiv($L - dy, $L) + 1)", loopH(g), mappedH(g) - 1, g.conv().sh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.conv().kw())
                .addStatement("int dx = $L", Lit.plus(Lit.times("kx", g.conv().dw()), -g.conv().padLeft()))
                .addStatement("int u0 = Math.max(0, Math.floorDiv(-dx + $L, $L))", g.conv().sw() - 1, g.conv().sw())
                .addStatement("int u1 = Math.min($L, Math.floorDiv($L - dx, $L) + 1)", loopW(g), mappedW(g) - 1, g.conv().sw())
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

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
