package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.ConvGeometry;

/**
 * The three loop nests of convolution and transposed convolution. Both relate a "small" tensor
 * (conv: the output; transposed conv: the input) to a "big" one through a weight
 * {@code [A, B/groups, kh, kw]} whose first dimension runs over the small tensor's channels: small
 * position {@code (v, u)} and tap {@code (ky, kx)} meet big position
 * {@code (v * sh + ky * dh - padTop, u * sw + kx * dw - padLeft)}.
 * <ul>
 *   <li>{@link #gather}: {@code small += w * big} (conv forward, transposed-conv input gradient);
 *   <li>{@link #scatter}: {@code big += w * small} (conv input gradient, transposed-conv forward);
 *   <li>{@link #weightGrad}: {@code dw += sum small * big} over samples and positions (both).
 * </ul>
 * Each tap's valid range of {@code v} is {@code [max(0, ceil(-dy / sh)), min(smallH, floor((bigH - 1 - dy) / sh) + 1))},
 * so the inner loops have no branches and, for stride 1, unit stride on both sides.
 * Used for transposed convolution, so the {@link ConvGeometry}'s input is the small tensor
 * ({@code A = inC}) and its output the big one ({@code B / groups = outPerGroup()}).
 */
final class WindowLoops {

    private WindowLoops() {
    }

    /** {@code small[s][a] += w[a][bl] (*) big[s][group(a) * bpg + bl]} for every sample. */
    static void gather(CodeBlock.Builder b, ConvGeometry g, String small, String big, String w) {
        perSample(b, g, w);
        taps(b, g);
        b.addStatement("$L[srow + u] += k * $L[$L]", small, big, bigIndex(g));
        closeTaps(b);
        b.endControlFlow().endControlFlow().endControlFlow();
    }

    /** {@code big[s][group(a) * bpg + bl] += w[a][bl] (*) small[s][a]} for every sample. */
    static void scatter(CodeBlock.Builder b, ConvGeometry g, String small, String big, String w) {
        perSample(b, g, w);
        taps(b, g);
        b.addStatement("$L[$L] += k * $L[srow + u]", big, bigIndex(g), small);
        closeTaps(b);
        b.endControlFlow().endControlFlow().endControlFlow();
    }

    /** {@code dw[a][bl][ky][kx] += sum over samples and positions of small * big}. */
    static void weightGrad(CodeBlock.Builder b, ConvGeometry g, String small, String big, String dw) {
        int taps = g.kh() * g.kw();
        b.beginControlFlow("for (int a = 0; a < $L; a++)", g.inC())
                .addStatement("int g0 = a / $L * $L", g.inPerGroup(), g.outPerGroup())
                .beginControlFlow("for (int bl = 0; bl < $L; bl++)", g.outPerGroup())
                .addStatement("int wi = (a * $L + bl) * $L", g.outPerGroup(), taps);
        tapRanges(b, g);
        b.addStatement("float acc = 0f")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int so = s * $L + a * $L", g.inSize(), g.inH() * g.inW())
                .addStatement("int bo = s * $L + (g0 + bl) * $L", g.outSize(), g.outH() * g.outW())
                .beginControlFlow("for (int v = v0; v < v1; v++)")
                .addStatement("int srow = so + v * $L", g.inW())
                .addStatement("int brow = bo + (v * $L + dy) * $L + dx", g.sh(), g.outW())
                .addStatement("float rowAcc = 0f")
                .beginControlFlow("for (int u = u0; u < u1; u++)")
                .addStatement("rowAcc += $L[srow + u] * $L[$L]", small, big, bigIndex(g))
                .endControlFlow()
                .addStatement("acc += rowAcc")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$L[wi + ky * $L + kx] += acc", dw, g.kw());
        b.endControlFlow().endControlFlow(); // kx, ky
        b.endControlFlow().endControlFlow(); // bl, a
    }

    private static String bigIndex(ConvGeometry g) {
        return g.sw() == 1 ? "brow + u" : "brow + u * " + g.sw();
    }

    private static void perSample(CodeBlock.Builder b, ConvGeometry g, String w) {
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int a = 0; a < $L; a++)", g.inC())
                .addStatement("int so = s * $L + a * $L", g.inSize(), g.inH() * g.inW())
                .addStatement("int g0 = a / $L * $L", g.inPerGroup(), g.outPerGroup())
                .beginControlFlow("for (int bl = 0; bl < $L; bl++)", g.outPerGroup())
                .addStatement("int bo = s * $L + (g0 + bl) * $L", g.outSize(), g.outH() * g.outW())
                .addStatement("int wi = (a * $L + bl) * $L", g.outPerGroup(), g.kh() * g.kw())
                .addStatement("final float[] wt = $L", w);
    }

    private static void tapRanges(CodeBlock.Builder b, ConvGeometry g) {
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int dy = ky * $L - $L", g.dh(), g.padTop())
                .addStatement("int v0 = Math.max(0, Math.floorDiv(-dy + $L, $L))", g.sh() - 1, g.sh())
                .addStatement("int v1 = Math.min($L, Math.floorDiv($L - dy, $L) + 1)", g.inH(), g.outH() - 1, g.sh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int dx = kx * $L - $L", g.dw(), g.padLeft())
                .addStatement("int u0 = Math.max(0, Math.floorDiv(-dx + $L, $L))", g.sw() - 1, g.sw())
                .addStatement("int u1 = Math.min($L, Math.floorDiv($L - dx, $L) + 1)", g.inW(), g.outW() - 1, g.sw());
    }

    private static void taps(CodeBlock.Builder b, ConvGeometry g) {
        tapRanges(b, g);
        b.addStatement("float k = wt[wi + ky * $L + kx]", g.kw())
                .beginControlFlow("for (int v = v0; v < v1; v++)")
                .addStatement("int srow = so + v * $L", g.inW())
                .addStatement("int brow = bo + (v * $L + dy) * $L + dx", g.sh(), g.outW())
                .beginControlFlow("for (int u = u0; u < u1; u++)");
    }

    private static void closeTaps(CodeBlock.Builder b) {
        b.endControlFlow().endControlFlow(); // u, v
        b.endControlFlow().endControlFlow(); // kx, ky
    }
}
