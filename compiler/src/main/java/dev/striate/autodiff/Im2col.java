package dev.striate.autodiff;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.ConvGeometry;

/**
 * Unfolds one sample's convolution windows into flat arrays (the operands of the runtime's
 * {@code Gemm}) and folds gradients back. Kernel index {@code k = (c * kh + ky) * kw + kx} runs
 * over a weight row ({@code K = C * kh * kw}); output position {@code j = oy * outW + ox} over
 * {@code J = outH * outW}; padded cells read as zero. {@link #unfoldFlat} fills {@code col[k][j]}
 * (contiguous copies along output rows) and {@link #foldFlat} adds such a matrix back;
 * {@link #unfoldTransposedFlat} fills, per group, {@code colT[g * J + j][kl]} with {@code kl} the
 * index within the group's {@code K / groups}, and {@link #foldTransposedFlat} adds it back.
 */
final class Im2col {

    private Im2col() {
    }

    /**
     * {@code col[k * rowLength + jo + j] = x[xo + input cell]}: the unfolded windows of one sample in
     * a flat array, one row of {@code rowLength} floats per kernel index (for {@code Gemm}).
     */
    static void unfoldFlat(CodeBlock.Builder b, ConvGeometry g, String x, String xo, String col, int rowLength, String jo) {
        windowRows(b, g, rowLength, jo);
        b.beginControlFlow("if (oy < v0 || oy >= v1 || u0 >= u1)")
                .addStatement("$T.fill($L, o, o + $L, 0f)", java.util.Arrays.class, col, g.outW())
                .addStatement("continue")
                .endControlFlow()
                .addStatement("int src = $L + c * $L + (oy * $L + shiftY) * $L + shiftX", xo, g.inH() * g.inW(), g.sh(), g.inW())
                .beginControlFlow("for (int ox = 0; ox < u0; ox++)")
                .addStatement("$L[o + ox] = 0f", col)
                .endControlFlow();
        if (g.sw() == 1) {
            b.addStatement("System.arraycopy($L, src + u0, $L, o + u0, u1 - u0)", x, col);
        } else {
            b.beginControlFlow("for (int ox = u0; ox < u1; ox++)")
                    .addStatement("$L[o + ox] = $L[src + ox * $L]", col, x, g.sw())
                    .endControlFlow();
        }
        b.beginControlFlow("for (int ox = u1; ox < $L; ox++)", g.outW())
                .addStatement("$L[o + ox] = 0f", col)
                .endControlFlow();
        closeWindowRows(b);
    }

    /**
     * {@code dx[xo + input cell] += dcol[k * rowLength + jo + j]} for every unpadded cell: the inverse
     * of {@link #unfoldFlat}.
     */
    static void foldFlat(CodeBlock.Builder b, ConvGeometry g, String dcol, int rowLength, String jo, String dx, String xo) {
        windowRows(b, g, rowLength, jo);
        b.beginControlFlow("if (oy < v0 || oy >= v1 || u0 >= u1)")
                .addStatement("continue")
                .endControlFlow()
                .addStatement("int dst = $L + c * $L + (oy * $L + shiftY) * $L + shiftX", xo, g.inH() * g.inW(), g.sh(), g.inW());
        if (g.sw() == 1) {
            b.addStatement("$T.addInto($L, o + u0, $L, dst + u0, u1 - u0)", ClassName.get("dev.striate.train", "Kernels"),
                    dcol, dx);
        } else {
            b.beginControlFlow("for (int ox = u0; ox < u1; ox++)")
                    .addStatement("$L[dst + ox * $L] += $L[o + ox]", dx, g.sw(), dcol)
                    .endControlFlow();
        }
        closeWindowRows(b);
    }

    /**
     * Opens loops over channels, kernel rows and columns (with the ranges {@code [v0, v1)} of output
     * rows and {@code [u0, u1)} of output columns whose input cell is inside) and output rows, with
     * {@code o} the flat index of the output row's first position.
     */
    private static void windowRows(CodeBlock.Builder b, ConvGeometry g, int rowLength, String jo) {
        b.beginControlFlow("for (int c = 0; c < $L; c++)", g.inC())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int shiftY = ky * $L - $L", g.dh(), g.padTop())
                .addStatement("int v0 = Math.max(0, Math.floorDiv(-shiftY + $L, $L))", g.sh() - 1, g.sh())
                .addStatement("int v1 = Math.min($L, Math.floorDiv($L - shiftY, $L) + 1)", g.outH(), g.inH() - 1, g.sh())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int shiftX = kx * $L - $L", g.dw(), g.padLeft())
                .addStatement("int u0 = Math.max(0, Math.floorDiv(-shiftX + $L, $L))", g.sw() - 1, g.sw())
                .addStatement("int u1 = Math.min($L, Math.floorDiv($L - shiftX, $L) + 1)", g.outW(), g.inW() - 1, g.sw())
                .addStatement("int row = ((c * $L + ky) * $L + kx) * $L + $L", g.kh(), g.kw(), rowLength, jo)
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", g.outH())
                .addStatement("int o = row + oy * $L", g.outW());
    }

    private static void closeWindowRows(CodeBlock.Builder b) {
        for (int i = 0; i < 4; i++) {
            b.endControlFlow();
        }
    }

    /** Opens loops over positions, groups and kernel taps ({@code in} false for padded cells), {@code row} = {@code flatBase + (g * J + j) * K/g}. */
    private static void positions(CodeBlock.Builder b, ConvGeometry g, String colT, String xo, String flatBase) {
        int cpg = g.inC() / g.groups();
        b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", g.outH())
                .beginControlFlow("for (int ox = 0; ox < $L; ox++)", g.outW())
                .beginControlFlow("for (int gr = 0; gr < $L; gr++)", g.groups());
        b.addStatement("int row = $L + (gr * $L + oy * $L + ox) * $L", flatBase, g.j(), g.outW(), g.kg());
        b
                .beginControlFlow("for (int cl = 0; cl < $L; cl++)", cpg)
                .addStatement("int plane = $L + (gr * $L + cl) * $L", xo, cpg, g.inH() * g.inW())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int iy = oy * $L + ky * $L - $L", g.sh(), g.dh(), g.padTop());
        if (!g.fullyInside()) {
            b.addStatement("boolean rowIn = iy >= 0 && iy < $L", g.inH());
        }
        b.beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int ix = ox * $L + kx * $L - $L", g.sw(), g.dw(), g.padLeft());
        if (!g.fullyInside()) {
            b.addStatement("boolean in = rowIn && ix >= 0 && ix < $L", g.inW());
        }
        b.addStatement("int kl = (cl * $L + ky) * $L + kx", g.kh(), g.kw());
    }

    private static void closePositions(CodeBlock.Builder b) {
        for (int i = 0; i < 6; i++) {
            b.endControlFlow();
        }
    }

    /**
     * {@code colT[base + (g * J + j) * K/g + kl] = x[input cell]} (zero when padded): the windows
     * as rows, each group a row-major {@code [J][K/g]} matrix.
     */
    static void unfoldTransposedFlat(CodeBlock.Builder b, ConvGeometry g, String x, String xo, String colT, String base) {
        positions(b, g, colT, xo, base);
        if (g.fullyInside()) {
            b.addStatement("$L[row + kl] = $L[plane + iy * $L + ix]", colT, x, g.inW());
        } else {
            b.addStatement("$L[row + kl] = in ? $L[plane + iy * $L + ix] : 0f", colT, x, g.inW());
        }
        closePositions(b);
    }

    /** {@code dx[input cell] += colT[(g * J + j) * K/g + kl]} for every unpadded cell: the inverse of {@link #unfoldTransposedFlat}. */
    static void foldTransposedFlat(CodeBlock.Builder b, ConvGeometry g, String colT, String dx, String xo) {
        positions(b, g, colT, xo, "0");
        if (g.fullyInside()) {
            b.addStatement("$L[plane + iy * $L + ix] += $L[row + kl]", dx, g.inW(), colT);
        } else {
            b.beginControlFlow("if (in)")
                    .addStatement("$L[plane + iy * $L + ix] += $L[row + kl]", dx, g.inW(), colT)
                    .endControlFlow();
        }
        closePositions(b);
    }
}
