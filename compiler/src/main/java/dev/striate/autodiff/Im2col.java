package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;

/**
 * Unfolds one sample's convolution windows into a matrix and folds gradients back. Rows are
 * indexed by {@code k = (c * kh + ky) * kw + kx} ({@code K = C * kh * kw}, the order of a weight
 * row) and columns by output position {@code j = oy * outW + ox} ({@code J = outH * outW}); padded
 * cells read as zero. {@link #unfold} writes {@code [K][J]}, {@link #unfoldTransposed} writes
 * {@code [J][K]}, {@link #foldTransposed} adds a {@code [J][K]} matrix back into the input gradient.
 */
final class Im2col {

    /** Convolution geometry for one sample. */
    record Geometry(int c, int inH, int inW, int outH, int outW, int kh, int kw, int sh, int sw, int dh, int dw,
                    int padTop, int padLeft) {
        int k() {
            return c * kh * kw;
        }

        int j() {
            return outH * outW;
        }

        int inSize() {
            return c * inH * inW;
        }
    }

    private Im2col() {
    }

    /** {@code col[k * J + j] = x[xo + input cell]} for the sample starting at {@code xo}. */
    static void unfold(CodeBlock.Builder b, Geometry g, String x, String xo, String col) {
        b.beginControlFlow("for (int c = 0; c < $L; c++)", g.c())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int dy = ky * $L - $L", g.dh(), g.padTop())
                .addStatement("int v0 = Math.max(0, Math.floorDiv(-dy + $L, $L))", g.sh() - 1, g.sh())
                .addStatement("int v1 = Math.min($L, Math.floorDiv($L - dy, $L) + 1)", g.outH(), g.inH() - 1, g.sh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int dx = kx * $L - $L", g.dw(), g.padLeft())
                .addStatement("int u0 = Math.max(0, Math.floorDiv(-dx + $L, $L))", g.sw() - 1, g.sw())
                .addStatement("int u1 = Math.min($L, Math.floorDiv($L - dx, $L) + 1)", g.outW(), g.inW() - 1, g.sw())
                .addStatement("int row = ((c * $L + ky) * $L + kx) * $L", g.kh(), g.kw(), g.j())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", g.outH())
                .addStatement("int o = row + oy * $L", g.outW())
                .beginControlFlow("if (oy < v0 || oy >= v1 || u0 >= u1)")
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", g.outW())
                .addStatement("$L[o + ox] = 0f", col)
                .endControlFlow()
                .addStatement("continue")
                .endControlFlow()
                .addStatement("int src = $L + c * $L + (oy * $L + dy) * $L + dx", xo, g.inH() * g.inW(), g.sh(), g.inW())
                .beginControlFlow("for (int ox = 0; ox < u0; ox++)")
                .addStatement("$L[o + ox] = 0f", col)
                .endControlFlow()
                .beginControlFlow("for (int ox = u0; ox < u1; ox++)")
                .addStatement("$L[o + ox] = $L[src + ox$L]", col, x, g.sw() == 1 ? "" : " * " + g.sw())
                .endControlFlow()
                .beginControlFlow("for (int ox = u1; ox < $L; ox++)", g.outW())
                .addStatement("$L[o + ox] = 0f", col)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    /** Opens loops over output positions and kernel taps with {@code ci} the input cell or -1 when padded. */
    private static void positions(CodeBlock.Builder b, Geometry g, String xo) {
        b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", g.outH())
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", g.outW())
                .addStatement("int rowT = (oy * $L + ox) * $L", g.outW(), g.k())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int iy = oy * $L + ky * $L - $L", g.sh(), g.dh(), g.padTop())
                .addStatement("boolean rowIn = iy >= 0 && iy < $L", g.inH())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int ix = ox * $L + kx * $L - $L", g.sw(), g.dw(), g.padLeft())
                .addStatement("boolean in = rowIn && ix >= 0 && ix < $L", g.inW())
                .addStatement("int cell = $L + iy * $L + ix", xo, g.inW())
                .addStatement("int kk = rowT + ky * $L + kx", g.kw())
                .beginControlFlow("for (int c = 0; c < $L; c++)", g.c());
    }

    private static void closePositions(CodeBlock.Builder b) {
        for (int i = 0; i < 5; i++) {
            b.endControlFlow();
        }
    }

    /** {@code colT[j * K + k] = x[xo + input cell]} (zero when padded). */
    static void unfoldTransposed(CodeBlock.Builder b, Geometry g, String x, String xo, String colT) {
        positions(b, g, xo);
        b.addStatement("$L[kk + c * $L] = in ? $L[cell + c * $L] : 0f", colT, g.kh() * g.kw(), x, g.inH() * g.inW());
        closePositions(b);
    }

    /** {@code dx[xo + input cell] += colT[j * K + k]} for every unpadded cell. */
    static void foldTransposed(CodeBlock.Builder b, Geometry g, String colT, String dx, String xo) {
        positions(b, g, xo);
        b.beginControlFlow("if (in)")
                .addStatement("$L[cell + c * $L] += $L[kk + c * $L]", dx, g.inH() * g.inW(), colT, g.kh() * g.kw())
                .endControlFlow();
        closePositions(b);
    }
}
