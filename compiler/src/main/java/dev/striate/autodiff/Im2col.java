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
 *
 * <p>Public for the one forward convolution: the inference class's batched form
 * ({@code dev.striate.backend.layers.ConvBatch}), which the trainer's forward pass runs, unfolds
 * with {@link #unfoldFlat} as the backward pass does, so forward and backward read the same
 * columns. (The unfold sits here, below the back end, because the backward may not use the back end.)
 */
public final class Im2col {

    private Im2col() {
    }

    /**
     * {@code col[k * rowLength + jo + j] = x[xo + input cell]}: the unfolded windows of one sample in
     * a flat array, one row of {@code rowLength} floats per kernel index (for {@code Gemm}).
     */
    public static void unfoldFlat(CodeBlock.Builder b, ConvGeometry g, String x, String xo, String col, int rowLength, String jo) {
        if (shifted(g)) {
            shiftedRows(b, g, rowLength, jo);
            b.addStatement("$T.fill($L, row, row + a, 0f)", java.util.Arrays.class, col)
                    .beginControlFlow("if (any)")
                    .addStatement("System.arraycopy($L, $L + shift + a, $L, row + a, e - a)", x, xo, col)
                    .endControlFlow()
                    .addStatement("$T.fill($L, row + e, row + $L, 0f)", java.util.Arrays.class, col, g.j());
            wrappedCells(b, g, col, "0f");
            closeShiftedRows(b);
            return;
        }
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
        if (shifted(g)) {
            // the wrapped cells become -0 (x + -0 == x for every x, -0 included), then the whole run is added
            shiftedRows(b, g, rowLength, jo);
            wrappedCells(b, g, dcol, "-0f");
            b.beginControlFlow("if (any)")
                    .addStatement("$T.addInto($L, row + a, $L, $L + shift + a, e - a)", ClassName.get("dev.striate.train", "Kernels"),
                            dcol, dx, xo)
                    .endControlFlow();
            closeShiftedRows(b);
            return;
        }
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
     * Stride 1 and an output as wide as the input (e.g. padding {@code same}): numbered
     * {@code j = oy * W + ox}, a kernel index's row of windows is the input plane shifted by
     * {@code shiftY * W + shiftX}, so it unfolds (and folds back) as one run of positions instead of
     * one per output row; only the cells that wrap around a row edge ({@code |shiftX|} per row)
     * and the rows outside the input need fixing. The same values as the row-by-row loops.
     */
    private static boolean shifted(ConvGeometry g) {
        return g.sh() == 1 && g.sw() == 1 && g.outW() == g.inW();
    }

    /**
     * Opens loops over channels, kernel rows and columns with {@code row} (the kernel index's first
     * position in the flat array), {@code [a, e)} the positions whose input cell is read in one run
     * (empty when none is inside) and {@code shift} the input offset of position 0 within the sample.
     */
    private static void shiftedRows(CodeBlock.Builder b, ConvGeometry g, int rowLength, String jo) {
        int w = g.inW();
        b.beginControlFlow("for (int c = 0; c < $L; c++)", g.inC())
                .beginControlFlow("for (int ky = 0; ky < $L; ky++)", g.kh())
                .addStatement("int shiftY = ky * $L - $L", g.dh(), g.padTop())
                .addStatement("int v0 = Math.max(0, -shiftY)")
                .addStatement("int v1 = Math.min($L, $L - shiftY)", g.outH(), g.inH())
                .beginControlFlow("for (int kx = 0; kx < $L; kx++)", g.kw())
                .addStatement("int shiftX = kx * $L - $L", g.dw(), g.padLeft())
                .addStatement("int u0 = Math.max(0, -shiftX)")
                .addStatement("int u1 = Math.min($L, $L - shiftX)", w, w)
                .addStatement("int row = ((c * $L + ky) * $L + kx) * $L + $L", g.kh(), g.kw(), rowLength, jo)
                .addStatement("boolean any = v0 < v1 && u0 < u1")
                .addStatement("int a = any ? v0 * $L + u0 : 0", w)
                .addStatement("int e = any ? (v1 - 1) * $L + u1 : 0", w)
                .addStatement("int shift = c * $L + shiftY * $L + shiftX", g.inH() * w, w);
    }

    /** Sets the cells of {@code [a, e)} that wrap from one output row to the next to {@code value}. */
    private static void wrappedCells(CodeBlock.Builder b, ConvGeometry g, String array, String value) {
        int w = g.inW();
        b.beginControlFlow("if (any && u1 - u0 < $L)", w)
                .beginControlFlow("for (int oy = v0; oy < v1 - 1; oy++)")
                .beginControlFlow("for (int t = row + oy * $L + u1, end = row + (oy + 1) * $L + u0; t < end; t++)", w, w)
                .addStatement("$L[t] = $L", array, value)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    private static void closeShiftedRows(CodeBlock.Builder b) {
        for (int i = 0; i < 3; i++) {
            b.endControlFlow();
        }
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
