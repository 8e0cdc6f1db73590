package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

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
 */
final class WindowLoops {

    /** The geometry; {@code a} is the small tensor's channel count, {@code bpg} big channels per group. */
    record Geometry(int a, int bpg, int groups, int smallH, int smallW, int bigH, int bigW,
                    int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft) {
        int smallSize() {
            return a * smallH * smallW;
        }

        int bigSize() {
            return groups * bpg * bigH * bigW;
        }

        int apg() {
            return a / groups;
        }
    }

    private WindowLoops() {
    }

    /** {@code small[s][a] += w[a][bl] (*) big[s][group(a) * bpg + bl]} for every sample. */
    static void gather(CodeBlock.Builder b, Geometry g, String small, String big, String w) {
        perSample(b, g, w);
        taps(b, g);
        b.addStatement("$L[srow + u] += k * $L[$L]", small, big, bigIndex(g));
        closeTaps(b);
        b.endControlFlow().endControlFlow().endControlFlow();
    }

    /** {@code big[s][group(a) * bpg + bl] += w[a][bl] (*) small[s][a]} for every sample. */
    static void scatter(CodeBlock.Builder b, Geometry g, String small, String big, String w) {
        perSample(b, g, w);
        taps(b, g);
        b.addStatement("$L[$L] += k * $L[srow + u]", big, bigIndex(g), small);
        closeTaps(b);
        b.endControlFlow().endControlFlow().endControlFlow();
    }

    /** {@code dw[a][bl][ky][kx] += sum over samples and positions of small * big}. */
    static void weightGrad(CodeBlock.Builder b, Geometry g, String small, String big, String dw) {
        int taps = g.kh() * g.kw();
        b.beginControlFlow("for (int a = 0; a < $L; a++)", g.a())
                .addStatement("int g0 = a / $L * $L", g.apg(), g.bpg())
                .beginControlFlow("for (int bl = 0; bl < $L; bl++)", g.bpg())
                .addStatement("int wi = (a * $L + bl) * $L", g.bpg(), taps);
        tapRanges(b, g);
        b.addStatement("float acc = 0f")
                .beginControlFlow("for (int s = 0; s < n; s++)")
                .addStatement("int so = s * $L + a * $L", g.smallSize(), g.smallH() * g.smallW())
                .addStatement("int bo = s * $L + (g0 + bl) * $L", g.bigSize(), g.bigH() * g.bigW())
                .beginControlFlow("for (int v = v0; v < v1; v++)")
                .addStatement("int srow = so + v * $L", g.smallW())
                .addStatement("int brow = bo + (v * $L + dy) * $L + dx", g.sh(), g.bigW())
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

    private static String bigIndex(Geometry g) {
        return g.sw() == 1 ? "brow + u" : "brow + u * " + g.sw();
    }

    private static void perSample(CodeBlock.Builder b, Geometry g, String w) {
        b.beginControlFlow("for (int s = 0; s < n; s++)")
                .beginControlFlow("for (int a = 0; a < $L; a++)", g.a())
                .addStatement("int so = s * $L + a * $L", g.smallSize(), g.smallH() * g.smallW())
                .addStatement("int g0 = a / $L * $L", g.apg(), g.bpg())
                .beginControlFlow("for (int bl = 0; bl < $L; bl++)", g.bpg())
                .addStatement("int bo = s * $L + (g0 + bl) * $L", g.bigSize(), g.bigH() * g.bigW())
                .addStatement("int wi = (a * $L + bl) * $L", g.bpg(), g.kh() * g.kw())
                .addStatement("final float[] wt = $L", w);
    }

    private static void tapRanges(CodeBlock.Builder b, Geometry g) {
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int dy = ky * $L - $L", g.dh(), g.padTop())
                .addStatement("int v0 = Math.max(0, Math.floorDiv(-dy + $L, $L))", g.sh() - 1, g.sh())
                .addStatement("int v1 = Math.min($L, Math.floorDiv($L - dy, $L) + 1)", g.smallH(), g.bigH() - 1, g.sh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int dx = kx * $L - $L", g.dw(), g.padLeft())
                .addStatement("int u0 = Math.max(0, Math.floorDiv(-dx + $L, $L))", g.sw() - 1, g.sw())
                .addStatement("int u1 = Math.min($L, Math.floorDiv($L - dx, $L) + 1)", g.smallW(), g.bigW() - 1, g.sw());
    }

    private static void taps(CodeBlock.Builder b, Geometry g) {
        tapRanges(b, g);
        b.addStatement("float k = wt[wi + ky * $L + kx]", g.kw())
                .beginControlFlow("for (int v = v0; v < v1; v++)")
                .addStatement("int srow = so + v * $L", g.smallW())
                .addStatement("int brow = bo + (v * $L + dy) * $L + dx", g.sh(), g.bigW())
                .beginControlFlow("for (int u = u0; u < u1; u++)");
    }

    private static void closeTaps(CodeBlock.Builder b) {
        b.endControlFlow().endControlFlow(); // u, v
        b.endControlFlow().endControlFlow(); // kx, ky
    }
}
