package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Activation;
import dev.striate.text.Lit;
import java.util.ArrayList;
import java.util.List;

/**
 * The product forms of {@link ConvRows}' convolution over its unfolded scratch rows: one output
 * channel at a time, {@link ConvRows#BLOCK} channels per pass (the blocked product), windows written
 * out tap by tap, and small bands summed per channel in locals or run over the channels. Which form
 * runs is decided in {@link ConvRows}; every form takes each output's sums in the same order, the
 * blocked product (and the channels it leaves over) as fused multiply-adds, the others as
 * multiply-then-add.
 */
final class ConvProducts {
    private ConvProducts() {
    }

    /**
     * One output channel over {@code n} pixels: {@code acc[p] += k * row[p]} four rows at a time
     * ({@code acc[p] + k0 * row0[p] + ...} adds left to right, the order of one row at a time;
     * nested {@code Math.fma} for the channels a blocked product leaves over), then the activation
     * and the copy out at {@code at} (or the pooling into {@code out}).
     */
    static void product(CodeBlock.Builder b, ConvLoops.Layer g, String n, String at, PlanePool pool) {
        int rows = ConvRows.rowsPerGroup(g);
        int quads = rows / 4 * 4;
        boolean unrolled = rows <= ConvRows.UNROLLED_WINDOW;
        // an unrolled window of at least four taps starts from the bias in its first pass, and one
        // ending in a single tap applies a ReLU in that tap's pass: two passes over acc fewer, the
        // same sums in the same order (bias + k0 x0 + ...; max(acc + k x, 0))
        boolean biasInFirstPass = unrolled && rows >= 4;
        boolean reluInLastPass = unrolled && rows % 4 != 0 && g.activation() instanceof Activation.Relu;
        if (!biasInFirstPass) {
            b.beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement("acc[p] = bias")
                    .endControlFlow();
        }
        // the channels a blocked product leaves over take its sums, fused multiply-adds
        boolean fused = ConvRows.blocked(g);
        if (unrolled) {
            unrolledProduct(b, rows, n, g.unfoldedRow(), biasInFirstPass, reluInLastPass);
        } else if (quads > 0) {
            // four rows per pass: one load and store of acc per four products, same order of sums
            b.beginControlFlow("for (int r = 0; r < $L; r += 4)", quads);
            for (int j = 0; j < 4; j++) {
                b.addStatement("float k$L = w[wi + r$L]", j, j == 0 ? "" : " + " + j)
                        .addStatement("float[] row$L = $L", j, ScratchRows.at(g.unfoldedRow(), j, "r"));
            }
            b.beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement(fused
                            ? "acc[p] = Math.fma(k3, row3[p], Math.fma(k2, row2[p], Math.fma(k1, row1[p], Math.fma(k0, row0[p], acc[p]))))"
                            : "acc[p] = acc[p] + k0 * row0[p] + k1 * row1[p] + k2 * row2[p] + k3 * row3[p]")
                    .endControlFlow()
                    .endControlFlow();
        }
        if (quads < rows && rows > ConvRows.UNROLLED_WINDOW) {
            b.beginControlFlow("for (int r = $L; r < $L; r++)", quads, rows)
                    .addStatement("float k = w[wi + r]")
                    .addStatement("float[] row = $L", ScratchRows.at(g.unfoldedRow(), 0, "r"))
                    .beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement(fused ? "acc[p] = Math.fma(k, row[p], acc[p])" : "acc[p] += k * row[p]")
                    .endControlFlow()
                    .endControlFlow();
        }
        if (!reluInLastPass) {
            ActivationCode.applyInPlace(b, g.activation(), "acc", "0", n);
        }
        if (pool != null) {
            pool.emit(b, "oc");
        } else {
            b.addStatement("System.arraycopy(acc, 0, out, $L, $L)", at, n);
        }
    }

    /**
     * The first {@code blocks} output channels, {@link ConvRows#BLOCK} per pass: accumulators
     * {@code acc, acc1, ...} in {@code rows[ACC_ROW .. ACC_ROW + BLOCK-1]}, each unfolded row read once per pass
     * for every accumulator, the first pass from the biases, a ReLU in the last pass ({@link #passes}), then
     * each channel's other activation and copy out (or pool). The DW block's 1x1 layer (32 rows, 8 or 16 passes)
     * lost two of its ten or eighteen sweeps over the accumulators: tools/bench/scalar_ab.sh against 239481c
     * (AMD EPYC AVX-512, load 1.4-1.7, 16 rounds) dw_block 0.975 (JDK 17) and 0.904 (JDK 25), mnist_cnn 0.928
     * and 0.963, go_net 0.98-1.00. The sums are
     * fused multiply-adds over the rows in order ({@code Math.fma(k1, u1, Math.fma(k0, u0, acc[p]))}),
     * two rows per step, or four where C2 vectorizes that ({@link FourRowPasses}); both give the
     * same bits.
     */
    static void blockedProduct(CodeBlock.Builder b, ConvLoops.Layer g, String n, String bandAt,
                                       PlanePool pool, int blocks) {
        int rows = ConvRows.rowsPerGroup(g);
        int plane = g.conv().outH() * g.conv().outW();
        for (int j = 1; j < ConvRows.BLOCK; j++) {
            b.addStatement("float[] $L = $L", acc(j), ScratchRows.at(ScratchRows.ACC, j, null));
        }
        b.beginControlFlow("for (int oc = 0; oc < $L; oc += $L)", blocks, ConvRows.BLOCK)
                .addStatement("int wi = $L", Lit.add("oc * " + rows, g.weightsAt()));
        for (int j = 0; j < ConvRows.BLOCK; j++) {
            b.addStatement("float bias$L = $L", j, g.biasAt() != null
                    ? "w[" + Lit.plus(Lit.add("oc", g.biasAt()), j) + "]" : "0f");
        }
        int pairs = rows / 2 * 2;
        int quads = rows / 4 * 4;
        // the first pass starts from the biases and, for a ReLU, the last applies it: two passes over the
        // accumulators fewer, the same sums (fma(k, u, bias) is fma(k, u, acc) with acc = bias)
        boolean relu = g.activation() instanceof Activation.Relu;
        b.beginControlFlow("if ($L)", FourRowPasses.NAME);
        passes(b, g, n, new int[][] {{0, quads, 4}, {quads, pairs, 2}, {pairs, rows, 1}}, relu);
        b.nextControlFlow("else");
        passes(b, g, n, new int[][] {{0, pairs, 2}, {pairs, rows, 1}}, relu);
        b.endControlFlow();
        for (int j = 0; j < ConvRows.BLOCK; j++) {
            if (!relu) {
                ActivationCode.applyInPlace(b, g.activation(), acc(j), "0", n);
            }
            if (pool != null) {
                b.add("{ // pool channel oc + $L\n", j).indent();
                b.addStatement("int pc = $L", Lit.plus("oc", j));
                pool.emit(b, acc(j), "pc");
                b.unindent().add("}\n");
            } else {
                b.addStatement("System.arraycopy($L, 0, out, $L, $L)", acc(j),
                        (j == 0 ? "oc" : "(oc + " + j + ")") + " * " + plane + bandAt, n);
            }
        }
        b.endControlFlow();
    }

    /**
     * The passes of a blocked product over its rows: {@code segments} of {@code {from, to, step}} in order (empty
     * ones skipped); the very first pass starts from the biases instead of the accumulators, and with
     * {@code relu} the very last applies {@code max(v, 0)}.
     */
    private static void passes(CodeBlock.Builder b, ConvLoops.Layer g, String n, int[][] segments, boolean relu) {
        List<int[]> todo = new ArrayList<>();
        for (int[] seg : segments) {
            if (seg[0] < seg[1]) {
                todo.add(seg);
            }
        }
        for (int i = 0; i < todo.size(); i++) {
            int from = todo.get(i)[0];
            int to = todo.get(i)[1];
            int step = todo.get(i)[2];
            boolean last = relu && i == todo.size() - 1;
            if (i == 0) {
                rowPasses(b, g, n, from, from + step, step, true, last && from + step == to);
                from += step;
            }
            if (last && from < to) {
                rowPasses(b, g, n, from, to - step, step, false, false);
                rowPasses(b, g, n, to - step, to, step, false, true);
            } else {
                rowPasses(b, g, n, from, to, step, false, false);
            }
        }
    }

    /**
     * Rows {@code [from, to)} of a blocked product, {@code step} rows per pass: each accumulator
     * takes {@code step} fused multiply-adds per pixel, rows in order, from {@code bias0..} when
     * {@code fromBias}; with {@code relu}, then {@code max(v, 0)}. Nothing when the range is empty.
     */
    private static void rowPasses(CodeBlock.Builder b, ConvLoops.Layer g, String n, int from, int to, int step,
                                  boolean fromBias, boolean relu) {
        if (from >= to) {
            return;
        }
        int rows = ConvRows.rowsPerGroup(g);
        b.beginControlFlow("for (int r = $L; r < $L; $L)", from, to, step == 1 ? "r++" : "r += " + step);
        for (int i = 0; i < step; i++) {
            b.addStatement("float[] x$L = $L", i, ScratchRows.at(g.unfoldedRow(), i, "r"));
        }
        for (int j = 0; j < ConvRows.BLOCK; j++) {
            for (int i = 0; i < step; i++) {
                b.addStatement("float k$L$L = w[$L]", j, i, Lit.plus("wi + r", j * rows + i));
            }
        }
        b.beginControlFlow("for (int p = 0; p < $L; p++)", n);
        for (int i = 0; i < step; i++) {
            b.addStatement("float u$L = x$L[p]", i, i);
        }
        for (int j = 0; j < ConvRows.BLOCK; j++) {
            String sum = fromBias ? "bias" + j : acc(j) + "[p]";
            for (int i = 0; i < step; i++) {
                sum = "Math.fma(k" + j + i + ", u" + i + ", " + sum + ")";
            }
            b.addStatement("$L[p] = $L", acc(j), relu ? "Math.max(" + sum + ", 0f)" : sum);
        }
        b.endControlFlow().endControlFlow();
    }

    static String acc(int j) {
        return j == 0 ? "acc" : "acc" + j;
    }

    /**
     * The product of a small window ({@code rows <= UNROLLED_WINDOW} taps, e.g. a single-channel
     * or depthwise 5x5 kernel) written out tap by tap with literal indices: four taps a pass,
     * then the remaining taps one by one, the same order of sums as the looped form. With
     * {@code fromBias} the first pass of four taps starts from {@code bias} instead of reading
     * {@code acc}; with {@code relu} the last single tap's pass applies {@code max(v, 0)}.
     */
    static void unrolledProduct(CodeBlock.Builder b, int rows, String n, String unfolded, boolean fromBias,
                                boolean relu) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            b.add("{ // taps $L..$L\n", r, r + 3).indent();
            for (int j = 0; j < 4; j++) {
                b.addStatement("float k$L = w[$L]", j, tap(r + j))
                        .addStatement("float[] row$L = $L", j, ScratchRows.at(unfolded, r + j, null));
            }
            b.beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement("acc[p] = $L + k0 * row0[p] + k1 * row1[p] + k2 * row2[p] + k3 * row3[p]",
                            fromBias && r == 0 ? "bias" : "acc[p]")
                    .endControlFlow()
                    .unindent().add("}\n");
        }
        for (; r < rows; r++) {
            b.add("{ // tap $L\n", r).indent()
                    .addStatement("float k = w[$L]", tap(r))
                    .addStatement("float[] row = $L", ScratchRows.at(unfolded, r, null))
                    .beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement(relu && r == rows - 1 ? "acc[p] = Math.max(acc[p] + k * row[p], 0f)" : "acc[p] += k * row[p]")
                    .endControlFlow()
                    .unindent().add("}\n");
        }
    }

    static String tap(int r) {
        return r == 0 ? "wi" : "wi + " + r;
    }

    /**
     * A group's output channels for each of {@code n} pixels: copies the group's weight rows to
     * the rows from {@code weightRow} on, then per pixel {@code acc[f] += x * wrow[f]} four rows a pass (the
     * same order of sums as {@link #product}) and scatters {@code acc} to the channel planes.
     */
    static void channelProduct(CodeBlock.Builder b, ConvLoops.Layer g, int n, String bandAt) {
        int r = ConvRows.rowsPerGroup(g);
        int fpg = g.conv().outC() / g.conv().groups();
        b.beginControlFlow("for (int r = 0; r < $L; r++)", r)
                .addStatement("System.arraycopy(w, $L, $L, 0, $L)",
                        Lit.add((g.conv().groups() > 1 ? "(g * " + r + " + r)" : "r") + " * " + fpg, g.weightsAt()),
                        ScratchRows.at(g.weightRow(), 0, "r"), fpg)
                .endControlFlow();
        b.beginControlFlow("for (int p = 0; p < $L; p++)", n);
        if (g.biasAt() != null) {
            b.addStatement("System.arraycopy(w, $L, acc, 0, $L)",
                    Lit.add(g.conv().groups() > 1 ? "g * " + fpg : "0", g.biasAt()), fpg);
        } else {
            b.addStatement("java.util.Arrays.fill(acc, 0, $L, 0f)", fpg);
        }
        int quads = r / 4 * 4;
        if (quads > 0) {
            b.beginControlFlow("for (int r = 0; r < $L; r += 4)", quads);
            for (int j = 0; j < 4; j++) {
                b.addStatement("float x$L = $L[p]", j, ScratchRows.at(g.unfoldedRow(), j, "r"))
                        .addStatement("float[] wr$L = $L", j, ScratchRows.at(g.weightRow(), j, "r"));
            }
            b.beginControlFlow("for (int f = 0; f < $L; f++)", fpg)
                    .addStatement("acc[f] = acc[f] + x0 * wr0[f] + x1 * wr1[f] + x2 * wr2[f] + x3 * wr3[f]")
                    .endControlFlow()
                    .endControlFlow();
        }
        if (quads < r) {
            b.beginControlFlow("for (int r = $L; r < $L; r++)", quads, r)
                    .addStatement("float x = $L[p]", ScratchRows.at(g.unfoldedRow(), 0, "r"))
                    .addStatement("float[] wr = $L", ScratchRows.at(g.weightRow(), 0, "r"))
                    .beginControlFlow("for (int f = 0; f < $L; f++)", fpg)
                    .addStatement("acc[f] += x * wr[f]")
                    .endControlFlow()
                    .endControlFlow();
        }
        ActivationCode.applyInPlace(b, g.activation(), "acc", "0", fpg);
        b.beginControlFlow("for (int f = 0; f < $L; f++)", fpg)
                .addStatement("out[$L * $L + p$L] = acc[f]", g.conv().groups() > 1 ? "(g * " + fpg + " + f)" : "f",
                        g.conv().outH() * g.conv().outW(), bandAt)
                .endControlFlow();
        b.endControlFlow();
    }

    /**
     * The {@linkplain ConvRows#channelInner channel-inner} product of a small plane of {@code n}
     * pixels and F output channels: {@code rows[p]} holds pixel {@code p}'s F sums (bias first);
     * for each block of weight rows (copied from {@code w}, stored {@code [row][channel]}, to
     * {@code rows[n ..]} so that every array of the inner loop is indexed by the loop variable),
     * each pixel takes {@code o[f] = fma(x3, w3[f], fma(x2, w2[f], fma(x1, w1[f], fma(x0, w0[f], o[f]))))}
     * over four rows a pass, two pixels a pass where C2 vectorizes that ({@link FourRowPasses}),
     * then the activation and the scatter to the channel planes (or the pool). Each output's sums
     * are the blocked product's, in the same order.
     */
    static void innerProduct(CodeBlock.Builder b, ConvLoops.Layer g, PlanePool pool) {
        int n = g.conv().outH() * g.conv().outW();
        int f = g.conv().outC();
        int rows = ConvRows.rowsPerGroup(g);
        int block = ConvRows.innerBlock(g);
        String pixel = ScratchRows.at(ScratchRows.ACC, 0, "p");
        b.beginControlFlow("for (int p = 0; p < $L; p++)", n);
        if (g.biasAt() != null) {
            b.addStatement("System.arraycopy(w, $L, $L, 0, $L)", g.biasAt(), pixel, f);
        } else {
            b.addStatement("java.util.Arrays.fill($L, 0, $L, 0f)", pixel, f);
        }
        b.endControlFlow();
        b.beginControlFlow("for (int r0 = 0; r0 < $L; r0 += $L)", rows, block);
        String rn = rows % block == 0 ? String.valueOf(block) : "rn";
        if (rows % block != 0) {
            b.addStatement("int rn = Math.min($L, $L - r0)", block, rows);
        }
        b.beginControlFlow("for (int k = 0; k < $L; k++)", rn)
                .addStatement("System.arraycopy(w, $L, $L, 0, $L)", Lit.add("(r0 + k) * " + f, g.weightsAt()),
                        ScratchRows.at(g.weightRow(), 0, "k"), f)
                .endControlFlow();
        b.beginControlFlow("if ($L)", FourRowPasses.NAME)
                .beginControlFlow("for (int p = 0; p < $L; p += 2)", n / 2 * 2);
        innerPixels(b, g, f, rn, 2);
        b.endControlFlow();
        if (n % 2 != 0) {
            b.addStatement("int p = $L", n - 1);
            innerPixels(b, g, f, rn, 1);
        }
        b.nextControlFlow("else")
                .beginControlFlow("for (int p = 0; p < $L; p++)", n);
        innerPixels(b, g, f, rn, 1);
        b.endControlFlow().endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("for (int p = 0; p < $L; p++)", n)
                .addStatement("float[] o = $L", pixel);
        ActivationCode.applyInPlace(b, g.activation(), "o", "0", f);
        if (pool == null) {
            b.beginControlFlow("for (int c = 0; c < $L; c++)", f)
                    .addStatement("out[c * $L + p] = o[c]", n)
                    .endControlFlow();
        }
        b.endControlFlow();
        if (pool != null) {
            // each channel's plane gathered into the first weight row, then pooled from there
            b.addStatement("float[] plane = $L", ScratchRows.at(g.weightRow(), 0, null))
                    .beginControlFlow("for (int c = 0; c < $L; c++)", f)
                    .beginControlFlow("for (int p = 0; p < $L; p++)", n)
                    .addStatement("plane[p] = $L[c]", pixel)
                    .endControlFlow();
            pool.emit(b, "plane", "c");
            b.endControlFlow();
        }
    }

    /** One block of weight rows for pixel {@code p} ({@code pixels == 1}) or pixels {@code p, p + 1}. */
    private static void innerPixels(CodeBlock.Builder b, ConvLoops.Layer g, int f, String rn, int pixels) {
        String[] o = pixels == 1 ? new String[] {"o"} : new String[] {"o", "o1"};
        b.addStatement("float[] o = $L", ScratchRows.at(ScratchRows.ACC, 0, "p"));
        if (pixels == 2) {
            b.addStatement("float[] o1 = $L", ScratchRows.at(ScratchRows.ACC, 1, "p"));
        }
        b.addStatement("int r = 0");
        b.beginControlFlow("for (; r + 3 < $L; r += 4)", rn);
        for (int i = 0; i < 4; i++) {
            b.addStatement("float[] w$L = $L", i, ScratchRows.at(g.weightRow(), i, "r"));
            b.addStatement("float[] x$L = $L", i, ScratchRows.at(g.unfoldedRow(), i, "r0 + r"));
            for (int q = 0; q < pixels; q++) {
                b.addStatement("float a$L$L = x$L[$L]", q, i, i, q == 0 ? "p" : "p + " + q);
            }
        }
        b.beginControlFlow("for (int c = 0; c < $L; c++)", f);
        for (int i = 0; i < 4; i++) {
            b.addStatement("float v$L = w$L[c]", i, i);
        }
        for (int q = 0; q < pixels; q++) {
            String sum = o[q] + "[c]";
            for (int i = 0; i < 4; i++) {
                sum = "Math.fma(a" + q + i + ", v" + i + ", " + sum + ")";
            }
            b.addStatement("$L[c] = $L", o[q], sum);
        }
        b.endControlFlow().endControlFlow();
        b.beginControlFlow("for (; r < $L; r++)", rn)
                .addStatement("float[] w0 = $L", ScratchRows.at(g.weightRow(), 0, "r"))
                .addStatement("float[] x0 = $L", ScratchRows.at(g.unfoldedRow(), 0, "r0 + r"));
        for (int q = 0; q < pixels; q++) {
            b.addStatement("float a$L = x0[$L]", q, q == 0 ? "p" : "p + " + q);
        }
        b.beginControlFlow("for (int c = 0; c < $L; c++)", f);
        for (int q = 0; q < pixels; q++) {
            b.addStatement("$L[c] = Math.fma(a$L, w0[c], $L[c])", o[q], q, o[q]);
        }
        b.endControlFlow().endControlFlow();
    }

    /**
     * One output channel over a few pixels, each summed in its own local: no inner loop to set up
     * per row, and independent sums the CPU overlaps. Same order of additions as {@link #product}.
     */
    static void unrolledProduct(CodeBlock.Builder b, ConvLoops.Layer g, int n, String at) {
        for (int p = 0; p < n; p++) {
            b.addStatement("float s$L = bias", p);
        }
        b.beginControlFlow("for (int r = 0; r < $L; r++)", ConvRows.rowsPerGroup(g))
                .addStatement("float k = w[wi + r]")
                .addStatement("float[] row = $L", ScratchRows.at(g.unfoldedRow(), 0, "r"));
        for (int p = 0; p < n; p++) {
            b.addStatement("s$L += k * row[$L]", p, p);
        }
        b.endControlFlow();
        b.addStatement("int o = $L", at);
        for (int p = 0; p < n; p++) {
            String e = ActivationCode.expression(g.activation(), "s" + p);
            b.addStatement("out[$L] = $L", Lit.plus("o", p), e == null ? "s" + p : e);
        }
    }
}
