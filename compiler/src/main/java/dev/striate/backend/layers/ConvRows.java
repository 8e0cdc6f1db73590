package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.text.Lit;

/**
 * The loop nest of a forward convolution as a matrix product over scratch rows (im2col). For
 * each group, every (input channel, ky, kx) tap copies the input pixels it reads for each output
 * pixel into its own row with zeros where the tap falls in the padding; then the output channels
 * accumulate {@code acc[p] += k * row[p]} over the group's rows and copy their planes out, after
 * the activation. Large convolutions run in bands of output rows ({@link #band}). With stride 1 and
 * an output as wide as the input ("same" padding, 1x1), a tap's row of a band is one run of the
 * input plane: one {@code System.arraycopy} per tap, then the cells in the padding zeroed
 * ({@link ConvUnfold}), instead of one short copy per output row. The DW block's depthwise layer
 * (32 channels of 56x56, 9 taps: 16,128 copies of 56 floats before) went from about 300 to 175 µs
 * (hand timing of the generated method, JDK 17 and 25, AMD EPYC with AVX-512, 2026-12-03); the
 * whole class 0.83x (JDK 17) and 0.75x (JDK 25) the time of the per-row copies, go_net 0.99x
 * (tools/bench/scalar_ab.sh; benchmarks/README.md, "Latest table (2026-12-03 13:24 UTC ...)").
 *
 * <p>The product's form is chosen at compile time from the shapes, in this order:
 * <ul>
 * <li>3x3 convolutions with stride 1, dilation 1, one group, padding 0 or 1, at least 64 input and
 *     output channels and 16 tiles of 2x2 outputs do not come here: {@link Conv2dEmitter} and
 *     {@link ConvPoolEmitter} run them as Winograd F(2x2,3x3) ({@link ScalarWinograd}: 16 products over
 *     transformed tiles, the blocked product's fused multiply-adds with tiles in place of output
 *     channels and the output channels innermost, 2.25x fewer multiplies; the blob keeps the layout
 *     {@link #weightLayout} gives; measured in benchmarks/README.md, "Winograd F(2x2,3x3) in the
 *     scalar class");
 * <li>bands of at most {@link #MAX_UNROLLED_PIXELS} pixels with at least
 *     {@link #MIN_CHANNEL_VECTOR} output channels per group run over the channels instead
 *     ({@link #channelMajor}), other bands that small sum each channel in locals;
 * <li>whole planes of at most {@link #MAX_INNER_PIXELS} pixels with at least
 *     {@link #MIN_INNER_CHANNELS} output channels (one group) run the {@linkplain #channelInner
 *     channel-inner} product: the inner loop over the output channels, one or two pixels and four
 *     rows a pass, fused multiply-adds in the blocked product's order;
 * <li>one group, at least {@link #BLOCK} output channels and more rows (input channels x taps)
 *     than {@link #UNROLLED_WINDOW}: the {@linkplain #blocked blocked} product, {@link #BLOCK}
 *     output channels per pass over the rows, summed with {@code Math.fma}, two rows a pass (four
 *     on JDK 25 and later, {@link FourRowPasses}); every conv of the benchmark models but their
 *     first layers and depthwise convs;
 * <li>otherwise one output channel at a time, windows of up to {@link #UNROLLED_WINDOW} taps
 *     (first layers with 1-3 input channels, depthwise) written out tap by tap.
 * </ul>
 *
 * <p>Why rows: C2 (JDK 17) auto-vectorizes a loop only when its arrays are indexed by the same
 * expression; {@code out[o + p] += k * in[i + p]} with two different offsets runs scalar, about
 * 3-4x slower. The inner loop here also runs over a whole band instead of one output row, so
 * small maps pay the loop set-up once per tap and channel instead of once per row; short loops
 * spend much of their time outside C2's unrolled vector loop, so a blocked product's band has
 * at least {@link #MIN_BAND_PIXELS} pixels where the shapes allow.
 *
 * <p>Arithmetic: the blocked product sums each output as fused multiply-adds over the rows in
 * order (bias first), on either JDK and in either pass width, so a blocked conv gives the same
 * bits everywhere (and differs from a multiply-then-add sum in the last bits; every fixture's
 * tolerance holds). The other forms take {@code acc + k * x} (two roundings) in the same order
 * (bias, then input channels, then taps in row-major order), so they agree with each other bit
 * for bit. {@code Math.fma} needs FMA hardware (x86-64 since 2013, every 64-bit ARM) to be fast:
 * without it the JDK computes it exactly in software, many times slower.
 *
 * <p>Measured (hand kernels in tools/bench/ConvForms.java on the benchmark models' layer shapes,
 * thread CPU time, alternating in one JVM, JDK 17.0.15 and 25.0.3 on an AVX-512 Xeon under load;
 * whole models with tools/bench/scalar_ab.sh):
 * <ul>
 * <li>{@code acc[p] = Math.fma(k1, u1, Math.fma(k0, u0, acc[p]))} (4 channels x 2 rows) is
 *     vectorized by C2 on JDK 17 and 25 at every trip count tried (49-3,136 pixels): 38-81
 *     GFLOP/s. The same loop with {@code acc[p] + k0 * u0 + k1 * u1} ran scalar on JDK 17 in
 *     some contexts (10 GFLOP/s at 49-133 pixels with a run-time trip count) and at 40-75
 *     GFLOP/s where vectorized, so the fused form was 1.1-1.4x faster where both vectorize.
 * <li>4 channels x 4 rows (16 fused multiply-adds per pixel) is vectorized by JDK 25 (58-92
 *     GFLOP/s, 1.1-1.4x the two-row loop) but not by JDK 17 (16 GFLOP/s); neither JDK vectorizes
 *     8 channels x 2 rows, 6 x 2 (JDK 25 only), 2 x 4, 3 x 3, nor 4 x 3 (JDK 17), nor the
 *     multiply-add loop with 4 x 4. Of the fused forms tried, JDK 17 vectorized only 4 x 2,
 *     3 x 2, 2 x 2, 4 x 1 and 1 x 4 (channels x rows).
 * <li>Not vectorized on either JDK, so not taken: one accumulator array for the 4 channels at
 *     constant offsets together with one array for the unfolded rows ({@code x[xo + p + 144]});
 *     the output-channel-innermost form (4 pixels x 4 rows per pass, the loop over the output
 *     channels, weights packed {@code [row][channel]}): 9-10 GFLOP/s. One accumulator array at
 *     constant offsets with separate row arrays vectorizes (4 x 2 only) and was 1.05-1.1x the
 *     separate accumulators, not taken. Scratch rows of 16k + 12 floats (each row then starts at
 *     the same offset in a 64-byte line, when allocated back to back): go_net 0.93x the time on
 *     JDK 17 and 0.96x on JDK 25 (the class's {@code newRows} edited by hand), not taken (it
 *     depends on where the allocator and the collector put the rows).
 * <li>Whole models (tools/bench/scalar_ab.sh, ratio new/old of the thread CPU time per
 *     prediction, b819898 (multiply-add, blocked from 512 rows, two rows a pass) against this
 *     form, 12 alternating rounds): at load average 4-6 on 2 cores, fashion_cnn 0.79 on JDK 17
 *     and 0.71 on JDK 25, go_net 0.96 and 0.63, dw_block 0.82 and 0.78; at load 13-16, mnist_cnn
 *     0.71 and 0.67, tiny_resnet 0.78 (best rounds) and 0.88; lenet5 0.47 and 0.68, mostly from
 *     {@code TanhHelper}. At load 13, two copies of one class differed by 13% (go_net, JDK 17).
 *     On JDK 17 the big convs stay near 45-50 GFLOP/s: the two-row loop is the most its C2
 *     vectorizes.
 * <li>Output channels innermost with one array per weight row and per pixel (forms ci4, ci24,
 *     ci8, ciw4 of ConvForms; 2026-12-02, AMD Zen 5, load 5-16): {@code o[c] = fma(a3, w3[c], ...
 *     fma(a0, w0[c], o[c]))} (one pixel, four rows) is vectorized by both JDKs, two pixels x four
 *     rows by JDK 25 only, eight rows by neither (JDK 17) or slower (JDK 25); the weights read from
 *     one array at run-time offsets ({@code w[b + c]}) are not vectorized (7-9 GFLOP/s). Against
 *     the blocked product: 7x7 planes (49 pixels, 256 channels) 1.2-1.3x faster on JDK 17 (one
 *     pixel a pass) and 1.5-1.8x on JDK 25 (two pixels); 14x14 (196 pixels, 128 channels) 0.4x on
 *     JDK 17 and 0.65x on JDK 25; the Go net's 19x19 layer 0.8x on both. Weight blocks of 24 rows
 *     x 256 channels were faster than 48 or 96 rows. Taken for small planes ({@link #channelInner});
 *     in generated single-layer classes (tools/bench/ScalarAB.java, load 29 on 2 cores) new/old
 *     0.52 (JDK 25) and 0.77 (JDK 17) for the 7x7 256->256 conv, 0.57 and 0.78 for 128->256.
 * <li>{@code Math.fma} on a CPU without FMA (C2's intrinsic needs {@code UseFMA}): the JDK then
 *     computes each call in {@code Math.fma}'s Java code, two {@code BigDecimal}s per call, so
 *     every blocked and channel-inner product would be orders of magnitude slower. x86-64 CPUs
 *     since 2013 (Haswell, Piledriver) and every 64-bit ARM have FMA; the multiply-add forms were
 *     no faster where both vectorize and are left scalar by JDK 17 in more contexts, so the fused
 *     forms stay, a documented limit (not measured on such a CPU: none here).
 * </ul>
 */
final class ConvRows {
    /** Windows of at most this many taps (channels x kh x kw per group) are unrolled tap by tap. */
    static final int UNROLLED_WINDOW = 25;

    private ConvRows() {
    }

    /**
     * At most this many floats of unfolded input per band of output rows: a convolution whose
     * unfolded input is larger runs in bands of output rows (a divisor of the output height, so
     * every loop keeps a literal bound), which caps the scratch near 256 KB for any image size.
     * Only such whole-plane convolutions may be fused with the pool that reads them
     * ({@code dev.striate.passes.FusePool} uses the same limit).
     */
    static final int MAX_UNFOLDED = 65536;

    /**
     * The band limit of {@linkplain #blocked blocked} products, in floats of unfolded input
     * (about 1 MB, half the L2 of the machine measured): with {@link #MAX_UNFOLDED}, a 19x19 Go
     * board with 192 channels ran in bands of one 19-pixel row. A band is the largest divisor of
     * the output height that fits, unless that leaves fewer than {@link #MIN_BAND_PIXELS} pixels:
     * then the band is as many rows as fit and the last band is shorter (its size is computed at
     * run time).
     */
    static final int MAX_BAND = 262144;

    /**
     * Bands of fewer pixels than this leave C2's vectorized loops too short: in a hand kernel
     * (one output channel, four rows a pass, 192-256 channels of 3x3 taps), 16- and 48-pixel
     * products ran 1.6-6x slower per multiply-add than 192-pixel ones on JDK 17 and 25.
     */
    static final int MIN_BAND_PIXELS = 128;

    /**
     * At most this many pixels per band of a {@linkplain #blocked blocked} product whose whole
     * unfolded input exceeds {@link #MAX_UNFOLDED} (smaller ones keep the whole plane, which a
     * fused pool needs): the four accumulator rows then take at most 25.6 KB, about half the L1 of
     * the machine measured. The DW block's 1x1 conv (32 rows, 56x56 pixels) ran its product at
     * 48 GFLOP/s over the whole 3,136-pixel plane and 70 in bands of 784 or 1,568 pixels
     * (tools/bench/ConvForms.java, JDK 17 and 25).
     */
    static final int MAX_BLOCKED_PIXELS = 1600;

    /**
     * Output channels per pass of a {@linkplain #blocked blocked} product: each unfolded row read
     * from cache feeds this many accumulator rows.
     */
    static final int BLOCK = 4;

    /**
     * Blocked products need at least this many rows (input channels x taps per group): smaller
     * windows are written out tap by tap ({@link #UNROLLED_WINDOW}). Measured with fused
     * multiply-adds (hand kernels of this form, tools/bench/ConvForms.java, JDK 17 and 25): the
     * blocked product was 1.3-1.7x faster than the one-channel product from 32 rows (the DW
     * block's 1x1 conv) and 152 rows (LeNet's c3) up to 2304 rows (the Fashion CNN's last conv).
     */
    static final int MIN_BLOCKED_ROWS = UNROLLED_WINDOW + 1;

    /** Planes of at most this many pixels accumulate in local variables instead of a loop. */
    static final int MAX_UNROLLED_PIXELS = 12;

    /** Channel-major products need at least this many output channels per group. */
    static final int MIN_CHANNEL_VECTOR = 8;

    /**
     * Planes of at most this many pixels (and more than {@link #MAX_UNROLLED_PIXELS}) with at
     * least {@link #MIN_INNER_CHANNELS} output channels run the {@linkplain #channelInner
     * channel-inner} product: on 7x7 planes (the Fashion CNN's 256-channel convs) it was 1.2-1.3x
     * (JDK 17) and 1.5-1.8x (JDK 25) faster than the blocked product, whose loops over 49 pixels
     * are mostly outside C2's vector loop; on 14x14 (196 pixels) and 19x19 it was slower
     * (tools/bench/ConvForms.java, forms ci4 / ci24 against fma42 / fma44).
     */
    static final int MAX_INNER_PIXELS = 64;

    /** Output channels the {@linkplain #channelInner channel-inner} product needs (its vector loop's length). */
    static final int MIN_INNER_CHANNELS = 128;

    /** Floats of weights per block of the {@linkplain #channelInner channel-inner} product (24 KB, in L1). */
    static final int INNER_BLOCK_FLOATS = 6144;

    /**
     * Requests the scratch rows {@code g} uses: {@code rows[ACC_ROW]} accumulates, then one row per
     * (input channel, tap) of a group holds a band of unfolded input; a
     * {@linkplain #channelMajor channel-major} product puts a group's weight rows first, so the
     * unfolded rows start at {@link #unfoldedBase}. Returns {@code g} with those indices named
     * after the layer ({@code CONV2D_1_UNFOLDED_ROW}, {@code CONV2D_1_WEIGHT_ROW}).
     */
    static ConvLoops.Layer request(LayerContext ctx, ConvLoops.Layer g) {
        ScratchRows rows = ctx.rows();
        int n = band(g) * g.conv().outW();
        int r = rowsPerGroup(g);
        String weightRow = null;
        if (channelInner(g)) {
            rows.request(n + innerBlock(g), g.conv().outC());
            weightRow = rows.name(ctx, "weight_row", g.conv().outH() * g.conv().outW());
        }
        if (channelMajor(g)) {
            rows.request(1 + r, g.conv().outC() / g.conv().groups());
            weightRow = rows.name(ctx, "weight_row", 1);
        }
        rows.request(unfoldedBase(g) + r, n);
        return g.withRows(rows.name(ctx, "unfolded_row", unfoldedBase(g)), weightRow);
    }

    /** Index of the first unfolded-input row. */
    static int unfoldedBase(ConvLoops.Layer g) {
        if (channelInner(g)) {
            return g.conv().outH() * g.conv().outW() + innerBlock(g);
        }
        return channelMajor(g) ? 1 + rowsPerGroup(g) : blocked(g) ? BLOCK : 1;
    }

    /**
     * True when the product runs over the output channels for each pixel of a small plane
     * ({@link ConvProducts#innerProduct}): one group, the whole plane in one band, more than
     * {@link #MAX_UNROLLED_PIXELS} and at most {@link #MAX_INNER_PIXELS} pixels, at least
     * {@link #MIN_INNER_CHANNELS} output channels and {@link #MIN_BLOCKED_ROWS} rows. The weights
     * are stored {@code [row][channel]} ({@link #weightLayout}); each output's sums are the blocked
     * product's (bias, then fused multiply-adds over the rows in order), so the bits are the same.
     */
    static boolean channelInner(ConvLoops.Layer g) {
        int n = g.conv().outH() * g.conv().outW();
        return blockedShape(g) && band(g) == g.conv().outH() && n > MAX_UNROLLED_PIXELS && n <= MAX_INNER_PIXELS
                && g.conv().outC() >= MIN_INNER_CHANNELS;
    }

    /** Weight rows per block of the {@linkplain #channelInner channel-inner} product: a multiple of 4, about 24 KB. */
    static int innerBlock(ConvLoops.Layer g) {
        int b = Math.max(4, INNER_BLOCK_FLOATS / g.conv().outC() / 4 * 4);
        return Math.min(b, (rowsPerGroup(g) + 3) / 4 * 4);
    }

    /** True when the weights are stored {@code [group][row][channel]} instead of PyTorch's {@code [F][C/g][kh][kw]}. */
    static boolean transposedWeights(ConvLoops.Layer g) {
        return channelMajor(g) || channelInner(g);
    }

    /**
     * True when the product runs {@link #BLOCK} output channels per pass over the unfolded rows
     * (accumulators in {@code rows[0 .. BLOCK-1]}, unfolded rows after them): one group, at least
     * {@link #BLOCK} output channels, at least {@link #MIN_BLOCKED_ROWS} rows and bands of more
     * pixels than are summed in locals. Each output channel's sums keep their order, so results are those
     * of the one-channel product bit for bit; the row loads drop by {@link #BLOCK}x, which
     * measured 1.3-2x faster per layer (JDK 17 and 25) on 64-256 channels.
     */
    static boolean blocked(ConvLoops.Layer g) {
        return blockedShape(g) && !channelMajor(g) && !channelInner(g) && band(g) * g.conv().outW() > MAX_UNROLLED_PIXELS;
    }

    /** The shape conditions of {@link #blocked}, which also choose the band limit ({@link #band}). */
    static boolean blockedShape(ConvLoops.Layer g) {
        return g.conv().groups() == 1 && g.conv().outC() >= BLOCK && rowsPerGroup(g) >= MIN_BLOCKED_ROWS;
    }

    /** True when the output height is not a multiple of the band: the last band is shorter. */
    static boolean partialBand(ConvLoops.Layer g) {
        return g.conv().outH() % band(g) != 0;
    }

    /**
     * True when a band has so few pixels, and a group so many output channels, that the product
     * runs over channels instead: the weights are stored {@code [group][row][channel]}
     * ({@link #weightLayout}), a group's weight rows are copied to scratch rows, and
     * {@code acc[f] += x * wrow[f]} runs over the group's channels for each pixel. Only when a
     * group's weights fit in {@link #MAX_UNFOLDED} floats, so the scratch stays bounded.
     */
    static boolean channelMajor(ConvLoops.Layer g) {
        int fpg = g.conv().outC() / g.conv().groups();
        return band(g) * g.conv().outW() <= MAX_UNROLLED_PIXELS && fpg >= MIN_CHANNEL_VECTOR
                && (long) rowsPerGroup(g) * fpg <= MAX_UNFOLDED;
    }

    /** The PyTorch weights {@code [F][C/g][kh][kw]} in the order {@link #body} reads them. */
    static float[] weightLayout(ConvLoops.Layer g, float[] w) {
        if (!transposedWeights(g)) {
            return w;
        }
        int r = rowsPerGroup(g);
        int fpg = g.conv().outC() / g.conv().groups();
        float[] t = new float[w.length];
        for (int gi = 0; gi < g.conv().groups(); gi++) {
            for (int f = 0; f < fpg; f++) {
                for (int k = 0; k < r; k++) {
                    t[(gi * r + k) * fpg + f] = w[(gi * fpg + f) * r + k];
                }
            }
        }
        return t;
    }

    /**
     * Output rows per band: the largest divisor of the output height whose unfolded input fits in
     * {@link #MAX_UNFOLDED} floats, or for {@linkplain #blockedShape blocked} products in
     * {@link #MAX_BAND} floats (and, when banded at all, {@link #MAX_BLOCKED_PIXELS} pixels), with a
     * shorter last band when the divisor leaves too few pixels.
     */
    static int band(ConvLoops.Layer g) {
        int outH = g.conv().outH();
        int outW = g.conv().outW();
        boolean wide = blockedShape(g);
        long fit = Math.max(1, (wide ? MAX_BAND : MAX_UNFOLDED) / ((long) rowsPerGroup(g) * outW));
        if (wide && (long) rowsPerGroup(g) * outH * outW > MAX_UNFOLDED) {
            fit = Math.min(fit, Math.max(1, MAX_BLOCKED_PIXELS / outW));
        }
        if (fit >= outH) {
            return outH;
        }
        int best = 1;
        for (int d = 1; d <= fit; d++) {
            if (outH % d == 0) {
                best = d;
            }
        }
        if (!wide || best == fit || best * outW >= MIN_BAND_PIXELS || fit * outW <= MAX_UNROLLED_PIXELS) {
            return best;
        }
        return (int) fit;
    }

    static CodeBlock body(ConvLoops.Layer g) {
        return body(g, null);
    }

    /**
     * True when each output channel's whole plane is computed in {@code acc} by {@link ConvProducts#product}
     * (not banded, not channel-major, not summed in locals), so a {@link PlanePool} can pool it
     * there. {@code dev.striate.passes.FusePool} fuses only such convolutions.
     */
    static boolean wholePlane(ConvLoops.Layer g) {
        return band(g) == g.conv().outH() && !channelMajor(g) && g.conv().outH() * g.conv().outW() > MAX_UNROLLED_PIXELS;
    }

    /**
     * The loop nest; with a {@code pool}, each output channel's activated plane is pooled from
     * {@code acc} into {@code out} instead of copied out (needs {@link #wholePlane}).
     */
    static CodeBlock body(ConvLoops.Layer g, PlanePool pool) {
        if (pool != null && !wholePlane(g)) {
            throw new IllegalStateException("conv+pool fusion needs the conv's whole output plane in scratch: " + g);
        }
        int cpg = g.conv().inC() / g.conv().groups();
        int band = band(g);
        boolean banded = band < g.conv().outH();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("float[] acc = $L[$L]", ScratchRows.NAME, ScratchRows.ACC);
        boolean partial = partialBand(g);
        if (banded) {
            b.beginControlFlow("for (int y0 = 0; y0 < $L; y0 += $L)", g.conv().outH(), band);
        }
        if (partial) {
            b.add("// the last band is shorter\n")
                    .addStatement("int bandRows = Math.min($L, $L - y0)", band, g.conv().outH())
                    .addStatement("int n = bandRows * $L", g.conv().outW());
        }
        if (g.conv().groups() > 1) {
            b.beginControlFlow("for (int g = 0; g < $L; g++)", g.conv().groups());
        }
        Loop ic = Loop.open(b, "ic", cpg);
        String channel = g.conv().groups() > 1 ? Lit.add(Lit.times("g", cpg), ic.var()) : ic.var();
        b.addStatement("int c0 = $L", Lit.times(channel, g.conv().inH() * g.conv().inW()));
        ConvUnfold.unfold(b, g, partial ? "bandRows" : String.valueOf(band), banded, ic);
        ic.close(b);
        int n = band * g.conv().outW();
        String bandAt = banded ? " + y0 * " + g.conv().outW() : "";
        if (channelMajor(g)) {
            ConvProducts.channelProduct(b, g, n, bandAt);
        } else if (channelInner(g)) {
            ConvProducts.innerProduct(b, g, pool);
        } else {
            perChannel(b, g, n, partial ? "n" : String.valueOf(n), bandAt, pool);
        }
        if (g.conv().groups() > 1) {
            b.endControlFlow();
        }
        if (banded) {
            b.endControlFlow();
        }
        return b.build();
    }

    /** For each output channel of the group, its product over the {@code n} pixels of the band. */
    private static void perChannel(CodeBlock.Builder b, ConvLoops.Layer g, int pixels, String n, String bandAt,
                                   PlanePool pool) {
        int plane = g.conv().outH() * g.conv().outW();
        int blocks = g.conv().outC() / BLOCK * BLOCK;
        if (blocked(g)) {
            ConvProducts.blockedProduct(b, g, n, bandAt, pool, blocks);
            if (blocks == g.conv().outC()) {
                return;
            }
        }
        Loop f = null;
        if (g.conv().groups() > 1) {
            int fpg = g.conv().outC() / g.conv().groups();
            f = Loop.open(b, "f", fpg);
            b.addStatement("int oc = $L", Lit.add(Lit.times("g", fpg), f.var()));
        } else {
            b.beginControlFlow("for (int oc = $L; oc < $L; oc++)", blocked(g) ? blocks : 0, g.conv().outC());
        }
        String at = "oc * " + plane + bandAt;
        b.addStatement("float bias = $L", g.biasAt() != null ? "w[" + Lit.add("oc", g.biasAt()) + "]" : "0f");
        b.addStatement("int wi = $L", Lit.add("oc * " + rowsPerGroup(g), g.weightsAt()));
        if (pixels <= MAX_UNROLLED_PIXELS) {
            ConvProducts.unrolledProduct(b, g, pixels, at);
        } else {
            ConvProducts.product(b, g, n, at, pool);
        }
        if (f != null) {
            f.close(b);
        } else {
            b.endControlFlow();
        }
    }

    static int rowsPerGroup(ConvLoops.Layer g) {
        return g.conv().inC() / g.conv().groups() * g.conv().kh() * g.conv().kw();
    }
}
