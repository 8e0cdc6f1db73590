package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.text.Lit;

/**
 * The unfold of {@link ConvRows}' convolutions: for each input channel of a band, one scratch row per
 * (ky, kx) tap holding the input pixels that tap reads for each output pixel, with zeros where it falls in
 * the padding. Copied one output row at a time, or, with stride 1 and an output as wide as the input
 * ({@link #contiguousRows}), one run of the input plane per tap ({@link #unfoldRuns}).
 */
final class ConvUnfold {
    private ConvUnfold() {
    }

    /**
     * True when a tap's row of a band is one contiguous run of the input plane (stride 1 both ways and
     * the output as wide as the input: "same" padding, 1x1 convs): {@link #unfoldRuns} then copies it
     * with one {@code System.arraycopy} instead of one per output row.
     */
    static boolean contiguousRows(ConvLoops.Layer g) {
        return g.conv().sh() == 1 && g.conv().sw() == 1 && g.conv().outW() == g.conv().inW();
    }

    /** Fills the rows of input channel {@code ic} (plane at {@code c0}) for one band: one row per tap. */
    static void unfold(CodeBlock.Builder b, ConvLoops.Layer g, String band, boolean banded, Loop ic) {
        if (contiguousRows(g)) {
            unfoldRuns(b, g, band, banded, ic);
            return;
        }
        String y = banded ? "y" : "oy";
        boolean inside = everyTapInside(g);
        Loop ky = Loop.open(b, "ky", g.conv().kh(), ic);
        b.addStatement("int dy = $L", Lit.plus(Lit.times(ky.var(), g.conv().dh()), -g.conv().padTop()));
        if (!inside) {
            b.addStatement("int v0 = $L", ConvLoops.firstInside("dy", g.conv().sh()))
                    .addStatement("int v1 = $L", ConvLoops.endInside(g.conv().outH(), g.conv().inH(), "dy", g.conv().sh()));
        }
        Loop kx = Loop.open(b, "kx", g.conv().kw(), ky);
        b.addStatement("int dx = $L", Lit.plus(Lit.times(kx.var(), g.conv().dw()), -g.conv().padLeft()));
        if (!inside) {
            b.addStatement("int u0 = $L", ConvLoops.firstInside("dx", g.conv().sw()))
                    .addStatement("int u1 = $L", ConvLoops.endInside(g.conv().outW(), g.conv().inW(), "dx", g.conv().sw()));
        }
        String tap = Lit.add(Lit.times(Lit.add(Lit.times(ic.var(), g.conv().kh()), ky.var()), g.conv().kw()), kx.var());
        b.addStatement("float[] row = $L[$L]", ScratchRows.NAME, Lit.add(tap, g.unfoldedRow()))
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", band);
        if (banded) {
            b.addStatement("int y = y0 + oy");
        }
        b.addStatement("int p = oy * $L", g.conv().outW())
                .addStatement("int src = c0 + ($L + dy) * $L + dx", Lit.times(y, g.conv().sh()), g.conv().inW());
        if (inside) {
            copy(b, g, "0", String.valueOf(g.conv().outW()));
        } else {
            b.beginControlFlow("if ($L < v0 || $L >= v1 || u0 >= u1)", y, y)
                    .addStatement("java.util.Arrays.fill(row, p, p + $L, 0f)", g.conv().outW())
                    .nextControlFlow("else")
                    .beginControlFlow("for (int i = p; i < p + u0; i++)")
                    .addStatement("row[i] = 0f")
                    .endControlFlow();
            copy(b, g, "u0", "u1");
            b.beginControlFlow("for (int i = p + u1; i < p + $L; i++)", g.conv().outW())
                    .addStatement("row[i] = 0f")
                    .endControlFlow()
                    .endControlFlow();
        }
        b.endControlFlow();
        kx.close(b);
        ky.close(b);
    }

    /**
     * {@link #unfold} for {@link #contiguousRows}: the band's output rows {@code [ya, yb)} whose tap
     * falls inside the input read one run of the plane (pixel {@code p} from {@code in[src + p]}), so
     * one copy fills them; then the columns whose tap falls in the left or right padding (which the
     * run filled with the neighbouring row's pixels) and the rows above and below are zeroed. The
     * row holds the same values as with one copy per output row.
     */
    private static void unfoldRuns(CodeBlock.Builder b, ConvLoops.Layer g, String band, boolean banded, Loop ic) {
        int w = g.conv().outW();
        boolean inside = everyTapInside(g);
        String y0 = banded ? "y0" : "0";
        Loop ky = Loop.open(b, "ky", g.conv().kh(), ic);
        b.addStatement("int dy = $L", Lit.plus(Lit.times(ky.var(), g.conv().dh()), -g.conv().padTop()));
        if (!inside) {
            String v0 = ConvLoops.firstInside("dy", 1);
            String v1 = ConvLoops.endInside(g.conv().outH(), g.conv().inH(), "dy", 1);
            // ya..yb: the band's rows (from 0) whose tap falls inside the input, clamped to the band
            b.addStatement("int ya = $L", banded ? "Math.min(Math.max(" + v0 + " - y0, 0), " + band + ")"
                            : "Math.min(" + v0 + ", " + band + ")")
                    .addStatement("int yb = $L", banded ? "Math.max(Math.min(" + v1 + " - y0, " + band + "), ya)"
                            : "Math.max(" + v1 + ", ya)");
        }
        Loop kx = Loop.open(b, "kx", g.conv().kw(), ky);
        b.addStatement("int dx = $L", Lit.plus(Lit.times(kx.var(), g.conv().dw()), -g.conv().padLeft()));
        String tap = Lit.add(Lit.times(Lit.add(Lit.times(ic.var(), g.conv().kh()), ky.var()), g.conv().kw()), kx.var());
        b.addStatement("float[] row = $L[$L]", ScratchRows.NAME, Lit.add(tap, g.unfoldedRow()));
        String start = Lit.add(y0, "dy");
        if (inside) {
            b.addStatement("System.arraycopy(in, c0 + ($L) * $L + dx, row, 0, $L * $L)", start, w, band, w);
        } else {
            b.addStatement("int u0 = $L", ConvLoops.firstInside("dx", 1))
                    .addStatement("int u1 = $L", ConvLoops.endInside(w, g.conv().inW(), "dx", 1))
                    .addStatement("java.util.Arrays.fill(row, 0, ya * $L, 0f)", w)
                    .beginControlFlow("if (u0 >= u1)")
                    .addStatement("java.util.Arrays.fill(row, ya * $L, yb * $L, 0f)", w, w)
                    .nextControlFlow("else if (yb > ya)")
                    .addStatement("System.arraycopy(in, c0 + ($L + ya) * $L + dx + u0, row, ya * $L + u0, (yb - ya) * $L - u0 - $L + u1)",
                            start, w, w, w, w)
                    .beginControlFlow("if (u0 > 0 || u1 < $L)", w)
                    .beginControlFlow("for (int oy = ya; oy < yb; oy++)")
                    .addStatement("int p = oy * $L", w)
                    .beginControlFlow("for (int i = p; i < p + u0; i++)")
                    .addStatement("row[i] = 0f")
                    .endControlFlow()
                    .beginControlFlow("for (int i = p + u1; i < p + $L; i++)", w)
                    .addStatement("row[i] = 0f")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("java.util.Arrays.fill(row, yb * $L, $L * $L, 0f)", w, band, w);
        }
        kx.close(b);
        ky.close(b);
    }

    /** Copies output columns {@code [u0, u1)} of one output row from the input row at {@code src}. */
    private static void copy(CodeBlock.Builder b, ConvLoops.Layer g, String u0, String u1) {
        if (g.conv().sw() == 1) {
            String from = u0.equals("0") ? "src" : "src + " + u0;
            String to = u0.equals("0") ? "p" : "p + " + u0;
            String n = u0.equals("0") ? u1 : u1 + " - " + u0;
            b.addStatement("System.arraycopy(in, $L, row, $L, $L)", from, to, n);
        } else {
            b.beginControlFlow("for (int ox = $L; ox < $L; ox++)", u0, u1)
                    .addStatement("row[p + ox] = in[src + $L]", Lit.times("ox", g.conv().sw()))
                    .endControlFlow();
        }
    }

    /** True when every tap of every output pixel reads inside the input (no padding reached). */
    private static boolean everyTapInside(ConvLoops.Layer g) {
        for (int ky = 0; ky < g.conv().kh(); ky++) {
            int y0 = ky * g.conv().dh() - g.conv().padTop();
            int y1 = y0 + (g.conv().outH() - 1) * g.conv().sh();
            if (y0 < 0 || y1 >= g.conv().inH()) {
                return false;
            }
        }
        for (int kx = 0; kx < g.conv().kw(); kx++) {
            int x0 = kx * g.conv().dw() - g.conv().padLeft();
            int x1 = x0 + (g.conv().outW() - 1) * g.conv().sw();
            if (x0 < 0 || x1 >= g.conv().inW()) {
                return false;
            }
        }
        return true;
    }
}
