package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.List;

/**
 * The kernels of the generated Vector API class that work in CHW with output pixels in lanes, so a
 * value that arrives CHW (the model's input, or the result of another of these) is never transposed:
 * <ul>
 * <li>{@code pointwise}: a 1x1 convolution (stride 1, no padding) as a GEMM over the pixels,
 * micro-kernels of {@link #WIDE_GROUP} output channels x 4 pixel vectors with 512-bit vectors before JDK 25 (24
 * accumulators of AVX-512's 32 registers; per input channel 4 vector loads, 6 weight broadcasts, 24 FMAs),
 * otherwise 4 x 4 (16 accumulators);</li>
 * <li>{@code depthwiseChw}: a depthwise convolution with multiplier 1 and stride 1: each channel's
 * plane is copied into a zero-padded scratch plane (no bounds tests), then every output row is swept
 * by 4 pixel vectors at a time, each tap one weight broadcast and 4 FMAs; a 3x3 kernel without dilation by
 * {@code depthwiseChw3}, one call per plane, in blocks of 8 rows x 1 pixel vector ({@code depthwiseChw3Block}, the 9
 * weight vectors broadcast once per block, straight-line taps, no offset table) that load each input vector once for
 * the rows reading it, the rows left over by {@code depthwiseChw3Rows}.</li>
 * </ul>
 * A plane or row not a whole number of vectors ends with a vector that overlaps the previous one
 * (recomputing a few pixels with the same result, no mask); one shorter than a vector runs a scalar
 * loop with the same FMAs in the same order. Each output sums from its bias over (channel) or (ky, kx)
 * in that order with FMAs, so the results do not depend on the vector length or the compiler tier.
 */
final class SimdChw {
    /** The helpers, in the order {@link SimdKernels#use} registers them. */
    static final List<String> NAMES = List.of("pointwise", "pointwise6", "pointwise4", "pointwise2", "pointwise1", "pointwiseGroup",
            "packPointwise", "depthwiseChw",
            "depthwiseChw4", "depthwiseChw3", "depthwiseChw3Block", "depthwiseChw3Rows");
    /** Pixel vectors per micro-kernel call. */
    private static final int VECTORS = 4;
    /**
     * Output channels per call of the pointwise micro-kernel when the vectors have 16 lanes or more (AVX-512, 32
     * registers): 6 x 4 pixel vectors, 24 accumulators. A hand probe of dw_block's 1x1 layer (32 -> 64 channels,
     * 3,136 pixels; medians of 14 alternating rounds, AMD EPYC AVX-512 at 115 GFLOP/s, 2026-12-03): 4 x 4 150.6 /
     * 156.2 µs (JDK 25 / 17), 6 x 4 135.2 / 145.8, 8 x 3 130.9 / 159.8, 8 x 2 146.7 / 142.7, 7 x 3 138.8 / 141.6,
     * 5 x 4 159.7 / 150.9. In the generated class (tools/bench/LayerProfile.java, 20 alternating rounds, the same
     * machine) 6 x 4 took 0.870x the time of 4 x 4 on JDK 17 but 1.037x on JDK 25, where 4 x 4 already runs at 84%
     * of the FMA peak: so 6 x 4 runs on JDK 17-24 with 16 lanes or more, 4 x 4 on JDK 25 and with shorter vectors
     * (AVX2: 16 registers), chosen at run time ({@code pointwiseGroup}), the packing with it.
     */
    static final int WIDE_GROUP = 6;
    /**
     * Output channels per call of the pointwise micro-kernel with fewer than {@link SimdKernels#WIDE_LANES} lanes (AVX2,
     * 16 registers): 2 x 4 pixel vectors, 8 accumulators, 4 input vectors and a broadcast, where 4 x 4 (21 live
     * vectors) spills. dw_block's vector class under {@code -XX:UseAVX=2} took 0.92x the scalar class's time with
     * 4 x 4 (session 15 table); measured in docs/vector.md. The same sums, so the same bits.
     */
    static final int NARROW_GROUP = 2;
    /**
     * Output rows per block of the 3x3 depthwise kernel ({@code depthwiseChw3Block}), with {@link #BLOCK_VECTORS} pixel
     * vectors each. dw_block, whole model (ClassAB, JDK 25, session 10): 8 x 2 0.84-0.90x the time of one row x 4
     * vectors, 4 x 4 0.87-0.92x, 2 x 4 0.95x; JDK 17 8 x 2 0.82-0.86x; 256-bit vectors ({@code -XX:UseAVX=2}, 16
     * registers) 8 x 2 0.96x, 4 x 4 1.04x.
     */
    private static final int BLOCK_ROWS = 8;
    /**
     * Pixel vectors per row of a block of {@code depthwiseChw3Block} (see {@link #BLOCK_ROWS}). 2 was 3% faster on
     * the depthwise layer, but its 3,113 bytes of bytecode are more than C1 compiles ("out of virtual registers"),
     * which could leave the kernel in tier-2 code with every vector boxed (docs/vector.md, "Known limits"); with 1
     * the block is 1,650 bytes.
     */
    private static final int BLOCK_VECTORS = 1;

    private SimdChw() {
    }

    /** The helpers {@code name} calls (itself included). */
    static List<String> closure(String name) {
        switch (name) {
            case "pointwise":
                return List.of("pointwise", "pointwise6", "pointwise4", "pointwise2", "pointwise1", "pointwiseGroup");
            case "packPointwise":
                return List.of("packPointwise", "pointwiseGroup");
            case "depthwiseChw":
                return List.of("depthwiseChw", "depthwiseChw4", "depthwiseChw3", "depthwiseChw3Block", "depthwiseChw3Rows");
            default:
                return List.of(name);
        }
    }

    static MethodSpec method(String name) {
        switch (name) {
            case "pointwise":
                return pointwiseDriver();
            case "pointwise6":
                return pointwiseKernel(WIDE_GROUP);
            case "pointwise4":
                return pointwiseKernel(4);
            case "pointwise2":
                return pointwiseKernel(NARROW_GROUP);
            case "pointwise1":
                return pointwiseKernel(1);
            case "packPointwise":
                return packPointwise();
            case "pointwiseGroup":
                return helper("pointwiseGroup", "Filters per call of the pointwise micro-kernel: " + NARROW_GROUP
                        + " with fewer than " + SimdKernels.WIDE_LANES + " lanes (AVX2's 16 registers), else "
                        + WIDE_GROUP + " before JDK 25\n(AVX-512's 32 registers hold its accumulators) and 4 from JDK 25.")
                        .returns(int.class)
                        .addStatement("return L < $L ? $L : $T.version().feature() < 25 ? $L : 4", SimdKernels.WIDE_LANES,
                                NARROW_GROUP, Runtime.class, WIDE_GROUP)
                        .build();
            case "depthwiseChw":
                return depthwiseDriver();
            case "depthwiseChw4":
                return depthwiseKernel();
            case "depthwiseChw3":
                return depthwise3x3();
            case "depthwiseChw3Block":
                return depthwise3x3Block();
            case "depthwiseChw3Rows":
                return depthwise3x3Rows();
            default:
                throw new IllegalArgumentException("no CHW helper " + name);
        }
    }

    /** {@code p0, p1, p2, p3}: the pixel-vector positions parameters of a micro-kernel. */
    private static void pixelParameters(MethodSpec.Builder m) {
        for (int q = 0; q < VECTORS; q++) {
            m.addParameter(int.class, "p" + q);
        }
    }

    /** {@code int p0 = Math.min(base, last), p1 = Math.min(base + L, last), ...}: {@value #VECTORS} positions. */
    private static void clampedPositions(CodeBlock.Builder b, String base, String last) {
        positions(b, VECTORS, base, last);
    }

    /** {@code int p0 = Math.min(base, last), p1 = Math.min(base + L, last), ...}: {@code vectors} positions. */
    private static void positions(CodeBlock.Builder b, int vectors, String base, String last) {
        for (int q = 0; q < vectors; q++) {
            b.addStatement("int p$L = Math.min($L, $L)", q, q == 0 ? base : base + " + " + (q == 1 ? "L" : q + " * L"),
                    last);
        }
    }

    private static MethodSpec pointwiseKernel(int channels) {
        MethodSpec.Builder m = helper("pointwise" + channels, channels + " output channel(s) from {@code o} x " + VECTORS
                + " pixel vectors (at {@code p0..p3}) of a 1x1 convolution in CHW:\n"
                + "each output sums, from its bias, {@code w[wo + ci * g + j] * x[ci * n + p]} over the {@code c} input\n"
                + "channels in order with FMAs, in one flat loop ({@code g}: the packing's group of filters); then\n"
                + "{@code max(v, floor)} into {@code y[(o + j) * n + p]}.")
                .addParameter(float[].class, "x").addParameter(int.class, "n").addParameter(int.class, "c");
        pixelParameters(m);
        // a group's kernel steps through its own group's packing by a literal (C2 then checks the weights'
        // bounds once per call); the one-channel kernel serves the last channels of either packing
        m.addParameter(float[].class, "w").addParameter(int.class, "wo");
        if (channels == 1) {
            m.addParameter(int.class, "g");
        }
        m.addParameter(float[].class, "b").addParameter(int.class, "o").addParameter(float[].class, "y")
                .addParameter(float.class, "floor");
        CodeBlock.Builder b = CodeBlock.builder();
        for (int j = 0; j < channels; j++) {
            b.addStatement("$T b$L = $T.broadcast(S, b[o$L])", FLOAT_VECTOR, j, FLOAT_VECTOR, j == 0 ? "" : " + " + j);
            for (int q = 0; q < VECTORS; q++) {
                b.addStatement("$T a$L$L = b$L", FLOAT_VECTOR, j, q, j);
            }
        }
        b.addStatement("int xi = 0")
                .addStatement("int wi = wo")
                .beginControlFlow("for (int ci = 0; ci < c; ci++)");
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("$T x$L = $T.fromArray(S, x, xi + p$L)", FLOAT_VECTOR, q, FLOAT_VECTOR, q);
        }
        for (int j = 0; j < channels; j++) {
            b.addStatement("$T w$L = $T.broadcast(S, w[wi$L])", FLOAT_VECTOR, j, FLOAT_VECTOR, j == 0 ? "" : " + " + j);
            for (int q = 0; q < VECTORS; q++) {
                b.addStatement("a$L$L = w$L.fma(x$L, a$L$L)", j, q, j, q, j, q);
            }
        }
        b.addStatement("xi += n")
                .addStatement(channels == 1 ? "wi += g" : "wi += " + channels)
                .endControlFlow()
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int j = 0; j < channels; j++) {
            b.addStatement("int y$L = (o$L) * n", j, j == 0 ? "" : " + " + j);
            for (int q = 0; q < VECTORS; q++) {
                b.addStatement("a$L$L.max(lo).intoArray(y, y$L + p$L)", j, q, j, q);
            }
        }
        return m.addCode(b.build()).build();
    }

    private static MethodSpec pointwiseDriver() {
        MethodSpec.Builder m = helper("pointwise", "A 1x1 convolution (stride 1, no padding) from CHW {@code x} ({@code c} channels of\n"
                + "{@code n} pixels) into CHW {@code y} ({@code f} channels), weights packed by {@link #packPointwise} in\n"
                + "groups of {@code pointwiseGroup()} filters: the pixels in blocks of " + VECTORS + " vectors (the last vector\n"
                + "overlapping its predecessor), each block through all output channels a group at a time, then one at a\n"
                + "time; a plane shorter than a vector by a scalar loop with the same FMAs.")
                .addParameter(float[].class, "x").addParameter(int.class, "n").addParameter(int.class, "c")
                .addParameter(float[].class, "w").addParameter(float[].class, "b").addParameter(float[].class, "y")
                .addParameter(int.class, "f").addParameter(float.class, "floor");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int g = pointwiseGroup()")
                .addStatement("int full = f / g * g")
                .beginControlFlow("if (n < L)")
                .beginControlFlow("for (int o = 0; o < f; o++)")
                .addStatement("int wo = o / g * g * c + o % g")
                .beginControlFlow("for (int p = 0; p < n; p++)")
                .addStatement("float a = b[o]")
                .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                .addStatement("a = Math.fma(w[wo + ci * g], x[ci * n + p], a)")
                .endControlFlow()
                .addStatement("y[o * n + p] = Math.max(a, floor)")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("for (int v = 0; v < n; v += $L * L)", VECTORS);
        clampedPositions(b, "v", "n - L");
        b.addStatement("int o = 0")
                .beginControlFlow("if (g == $L)", WIDE_GROUP)
                .beginControlFlow("for (; o < full; o += $L)", WIDE_GROUP)
                .addStatement("pointwise$L(x, n, c, p0, p1, p2, p3, w, o * c, b, o, y, floor)", WIDE_GROUP)
                .endControlFlow()
                .nextControlFlow("else if (g == $L)", NARROW_GROUP)
                .beginControlFlow("for (; o < full; o += $L)", NARROW_GROUP)
                .addStatement("pointwise$L(x, n, c, p0, p1, p2, p3, w, o * c, b, o, y, floor)", NARROW_GROUP)
                .endControlFlow()
                .nextControlFlow("else")
                .beginControlFlow("for (; o < full; o += 4)")
                .addStatement("pointwise4(x, n, c, p0, p1, p2, p3, w, o * c, b, o, y, floor)")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (; o < f; o++)")
                .addStatement("pointwise1(x, n, c, p0, p1, p2, p3, w, full * c + o % g, g, b, o, y, floor)")
                .endControlFlow()
                .endControlFlow();
        return m.addCode(b.build()).build();
    }

    private static MethodSpec packPointwise() {
        return helper("packPointwise", "Packs the weights of a 1x1 convolution ({@code f} filters of {@code c} inputs, filter\n"
                + "{@code o}'s input {@code ci} at {@code w[off + o * fs + ci * ks]}) as {@link #pointwise} reads them:\n"
                + "groups of {@code pointwiseGroup()} filters, then input channel, then filter (a last partial group padded\n"
                + "with zeros).")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addParameter(int.class, "c").addParameter(int.class, "fs").addParameter(int.class, "ks")
                .addCode(CodeBlock.builder()
                        .addStatement("int g = pointwiseGroup()")
                        .addStatement("float[] p = new float[(f + g - 1) / g * g * c]")
                        .beginControlFlow("for (int o = 0; o < f; o++)")
                        .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                        .addStatement("p[o / g * g * c + ci * g + o % g] = w[off + o * fs + ci * ks]")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }

    private static MethodSpec depthwiseKernel() {
        MethodSpec.Builder m = helper("depthwiseChw4", VECTORS + " pixel vectors (at {@code r + p0..p3} in the padded plane {@code s}) of one output\n"
                + "row of a depthwise convolution in CHW: each output sums, from {@code bias}, {@code w[wo + t] * s[r + p + off[t]]}\n"
                + "over the taps {@code t} (ky, kx in that order) with FMAs, in one flat loop; then {@code max(v, floor)}\n"
                + "into {@code y[yr + p]}.")
                .addParameter(float[].class, "s").addParameter(int.class, "r");
        pixelParameters(m);
        m.addParameter(int[].class, "off").addParameter(float[].class, "w").addParameter(int.class, "wo")
                .addParameter(float.class, "bias").addParameter(float[].class, "y").addParameter(int.class, "yr")
                .addParameter(float.class, "floor");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("$T a0 = $T.broadcast(S, bias)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int q = 1; q < VECTORS; q++) {
            b.addStatement("$T a$L = a0", FLOAT_VECTOR, q);
        }
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("int s$L = r + p$L", q, q);
        }
        b.addStatement("int taps = off.length")
                .beginControlFlow("for (int t = 0; t < taps; t++)")
                .addStatement("int o = off[t]")
                .addStatement("$T k = $T.broadcast(S, w[wo + t])", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("a$L = k.fma($T.fromArray(S, s, s$L + o), a$L)", q, FLOAT_VECTOR, q, q);
        }
        b.endControlFlow()
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("a$L.max(lo).intoArray(y, yr + p$L)", q, q);
        }
        return m.addCode(b.build()).build();
    }

    /**
     * One plane of a 3x3 depthwise convolution without dilation ({@code off = (0, 1, 2, wp, ..., 2 wp + 2)}): blocks of
     * {@value #BLOCK_ROWS} output rows by {@code depthwiseChw3Block}, then the rows left over (fewer than
     * {@value #BLOCK_ROWS}) by {@code depthwiseChw3Rows}. The three are separate methods so that each stays small enough
     * for C1: as one method (4,110 bytes of bytecode) C1 gave up on it ("out of virtual registers in LIR generator"),
     * and HotSpot then sometimes left it in tier-2 code, where no Vector API call is intrinsified (every vector a
     * heap object: dw_block's depthwise layer took 2-3 ms instead of 40 µs, 9.5 MB allocated per call; seen on JDK 25
     * in 2 of 6 runs, 2026-12-03). {@code TierThreeCompilesTest} checks that C1 compiles every generated method.
     */
    private static MethodSpec depthwise3x3() {
        MethodSpec.Builder m = helper("depthwiseChw3", "One plane of a 3x3 depthwise convolution without dilation in CHW, from\n"
                + "the padded plane {@code s} (row pitch {@code wp}) into {@code y[yo + oy * ow + ox]}: blocks of "
                + BLOCK_ROWS + " rows by\n{@code depthwiseChw3Block}, the rows left over by {@code depthwiseChw3Rows}. "
                + "Needs {@code ow >= L}.");
        m.addParameter(float[].class, "s").addParameter(int.class, "wp").addParameter(int.class, "oh")
                .addParameter(int.class, "ow");
        weightParameters(m);
        m.addCode(CodeBlock.builder()
                .addStatement("int oy = 0")
                .beginControlFlow("for (; oy + $L <= oh; oy += $L)", BLOCK_ROWS, BLOCK_ROWS)
                .addStatement("depthwiseChw3Block(s, wp, oy, ow, w, wo, bias, y, yo, floor)")
                .endControlFlow()
                .beginControlFlow("if (oy < oh)")
                .addStatement("depthwiseChw3Rows(s, wp, oy, oh, ow, w, wo, bias, y, yo, floor)")
                .endControlFlow()
                .build());
        return m.build();
    }

    /** The weight, bias and output parameters of the 3x3 depthwise helpers. */
    private static void weightParameters(MethodSpec.Builder m) {
        m.addParameter(float[].class, "w").addParameter(int.class, "wo")
                .addParameter(float.class, "bias").addParameter(float[].class, "y").addParameter(int.class, "yo")
                .addParameter(float.class, "floor");
    }

    /** {@code k0..k8 = broadcast(w[wo..wo + 8])}, {@code b0 = broadcast(bias)}, {@code lo = broadcast(floor)}. */
    private static void broadcastWeights(CodeBlock.Builder b) {
        for (int t = 0; t < 9; t++) {
            b.addStatement("$T k$L = $T.broadcast(S, w[wo$L])", FLOAT_VECTOR, t, FLOAT_VECTOR, t == 0 ? "" : " + " + t);
        }
        b.addStatement("$T b0 = $T.broadcast(S, bias)", FLOAT_VECTOR, FLOAT_VECTOR)
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
    }

    /**
     * Output rows {@code oy..oy + BLOCK_ROWS - 1} of a 3x3 depthwise plane, {@value #BLOCK_VECTORS} pixel vectors at a
     * time ({@code BLOCK_ROWS * BLOCK_VECTORS} accumulators): each input vector is loaded once per block and fed to the
     * up to 3 output rows that read it (per block {@code (BLOCK_ROWS + 2) * 3 * BLOCK_VECTORS} loads for
     * {@code 9 * BLOCK_ROWS * BLOCK_VECTORS} FMAs, where one row at a time loads once per FMA), and 8 independent sums
     * hide the FMA latency that the 9-long chains of 4 accumulators exposed. Every output is summed from the bias over
     * (ky, kx) in order with FMAs, as {@code depthwiseChw4} sums it (the same bits). The accumulators live within one
     * iteration (no vector carried by a loop); the 9 weights are broadcast once per call (one call per block).
     */
    private static MethodSpec depthwise3x3Block() {
        MethodSpec.Builder m = helper("depthwiseChw3Block", "Output rows {@code oy..oy + " + (BLOCK_ROWS - 1)
                + "} of {@code depthwiseChw3}: weights {@code w[wo..wo + 8]}\n(ky, kx) broadcast once, then "
                + BLOCK_VECTORS + " pixel vectors of the " + BLOCK_ROWS + " rows at a time (in a row the last vector\n"
                + "overlapping its predecessor), each input vector loaded once for the rows that read it; each output "
                + "summed\nfrom {@code bias} over (ky, kx) in order with FMAs, then {@code max(v, floor)}.")
                .addParameter(float[].class, "s").addParameter(int.class, "wp").addParameter(int.class, "oy")
                .addParameter(int.class, "ow");
        weightParameters(m);
        CodeBlock.Builder b = CodeBlock.builder();
        broadcastWeights(b);
        b.addStatement("int r = oy * wp")
                .addStatement("int yr = yo + oy * ow")
                .beginControlFlow("for (int v = 0; v < ow; v += $L * L)", BLOCK_VECTORS);
        positions(b, BLOCK_VECTORS, "v", "ow - L");
        for (int q = 0; q < BLOCK_VECTORS; q++) {
            b.addStatement("int s$L = r + p$L", q, q);
        }
        boolean[][] started = new boolean[BLOCK_ROWS][BLOCK_VECTORS];
        // input row i of the block, column kx: read by output rows j = i - ky for ky = 0..2, in (ky, kx) order per row
        for (int i = 0; i < BLOCK_ROWS + 2; i++) {
            for (int kx = 0; kx < 3; kx++) {
                for (int q = 0; q < BLOCK_VECTORS; q++) {
                    String x = "x" + i + "_" + kx + "_" + q;
                    b.addStatement("$T $L = $T.fromArray(S, s, s$L$L)", FLOAT_VECTOR, x, FLOAT_VECTOR, q, tapOffset(i, kx));
                    for (int j = Math.max(0, i - 2); j <= Math.min(BLOCK_ROWS - 1, i); j++) {
                        int t = (i - j) * 3 + kx;
                        String acc = "a" + j + "_" + q;
                        b.addStatement("$L$L = k$L.fma($L, $L)", started[j][q] ? "" : CodeBlock.of("$T ", FLOAT_VECTOR), acc, t, x,
                                started[j][q] ? acc : "b0");
                        started[j][q] = true;
                    }
                }
            }
        }
        for (int j = 0; j < BLOCK_ROWS; j++) {
            for (int q = 0; q < BLOCK_VECTORS; q++) {
                b.addStatement("a$L_$L.max(lo).intoArray(y, yr + $Lp$L)", j, q, j == 0 ? "" : j == 1 ? "ow + " : j + " * ow + ", q);
            }
        }
        b.endControlFlow();
        return m.addCode(b.build()).build();
    }

    /** Output rows {@code oy..oh - 1} of a 3x3 depthwise plane one at a time, {@value #VECTORS} pixel vectors at a time. */
    private static MethodSpec depthwise3x3Rows() {
        MethodSpec.Builder m = helper("depthwiseChw3Rows", "Output rows {@code oy..oh - 1} of {@code depthwiseChw3}, one at a time by "
                + VECTORS + " pixel\nvectors (the last overlapping its predecessor): weights {@code w[wo..wo + 8]} (ky, kx) "
                + "broadcast once; each\noutput summed from {@code bias} over (ky, kx) in order with FMAs, then "
                + "{@code max(v, floor)}.")
                .addParameter(float[].class, "s").addParameter(int.class, "wp").addParameter(int.class, "oy")
                .addParameter(int.class, "oh").addParameter(int.class, "ow");
        weightParameters(m);
        CodeBlock.Builder b = CodeBlock.builder();
        broadcastWeights(b);
        b.beginControlFlow("for (; oy < oh; oy++)")
                .addStatement("int r = oy * wp")
                .addStatement("int yr = yo + oy * ow")
                .beginControlFlow("for (int v = 0; v < ow; v += $L * L)", VECTORS);
        clampedPositions(b, "v", "ow - L");
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("int s$L = r + p$L", q, q);
        }
        for (int t = 0; t < 9; t++) {
            for (int q = 0; q < VECTORS; q++) {
                b.addStatement("$La$L = k$L.fma($T.fromArray(S, s, s$L$L), $L)", t == 0 ? CodeBlock.of("$T ", FLOAT_VECTOR) : "", q, t,
                        FLOAT_VECTOR, q, tapOffset(t / 3, t % 3), t == 0 ? "b0" : "a" + q);
            }
        }
        for (int q = 0; q < VECTORS; q++) {
            b.addStatement("a$L.max(lo).intoArray(y, yr + p$L)", q, q);
        }
        b.endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    /** {@code " + ky * wp + kx"}: where tap (ky, kx) reads, relative to a pixel's position in the padded plane. */
    private static String tapOffset(int ky, int kx) {
        return (ky == 0 ? "" : ky == 1 ? " + wp" : " + " + ky + " * wp") + (kx == 0 ? "" : " + " + kx);
    }

    private static MethodSpec depthwiseDriver() {
        MethodSpec.Builder m = helper("depthwiseChw", "A depthwise convolution (multiplier 1, stride 1) from CHW {@code x} ({@code c}\n"
                + "planes of {@code h x w}) into CHW {@code y} ({@code oh x ow}): each plane is copied into the zero-padded\n"
                + "scratch plane {@code s} (row pitch {@code wp}, shifted by {@code (pt, pl)}; only its interior is ever\n"
                + "written), then each output row is swept by " + VECTORS + " pixel vectors at a time (the last overlapping its\n"
                + "predecessor); tap {@code t} of channel {@code ch} has weight {@code w[wo + ch * taps + t]} and reads\n"
                + "{@code s[oy * wp + ox + off[t]]}; rows shorter than a vector by a scalar loop with the same FMAs; a 3x3\n"
                + "kernel without dilation ({@code three}) by {@code depthwiseChw3}, one call per plane.")
                .addParameter(float[].class, "x").addParameter(int.class, "c").addParameter(int.class, "h")
                .addParameter(int.class, "w").addParameter(float[].class, "s").addParameter(int.class, "wp")
                .addParameter(int.class, "pt").addParameter(int.class, "pl").addParameter(int.class, "oh")
                .addParameter(int.class, "ow").addParameter(int[].class, "off").addParameter(float[].class, "k")
                .addParameter(int.class, "wo").addParameter(float[].class, "b").addParameter(float[].class, "y")
                .addParameter(float.class, "floor").addParameter(boolean.class, "three");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int taps = off.length")
                .beginControlFlow("for (int ch = 0; ch < c; ch++)")
                .beginControlFlow("for (int row = 0; row < h; row++)")
                .addStatement("System.arraycopy(x, (ch * h + row) * w, s, (row + pt) * wp + pl, w)")
                .endControlFlow()
                .addStatement("int kw = wo + ch * taps")
                .addStatement("float bias = b[ch]")
                .beginControlFlow("if (three && ow >= L)")
                .addStatement("depthwiseChw3(s, wp, oh, ow, k, kw, bias, y, ch * oh * ow, floor)")
                .addStatement("continue")
                .endControlFlow()
                .beginControlFlow("for (int oy = 0; oy < oh; oy++)")
                .addStatement("int r = oy * wp")
                .addStatement("int yr = (ch * oh + oy) * ow")
                .beginControlFlow("if (ow < L)")
                .beginControlFlow("for (int ox = 0; ox < ow; ox++)")
                .addStatement("float a = bias")
                .beginControlFlow("for (int t = 0; t < taps; t++)")
                .addStatement("a = Math.fma(k[kw + t], s[r + ox + off[t]], a)")
                .endControlFlow()
                .addStatement("y[yr + ox] = Math.max(a, floor)")
                .endControlFlow()
                .addStatement("continue")
                .endControlFlow()
                .beginControlFlow("for (int v = 0; v < ow; v += $L * L)", VECTORS);
        clampedPositions(b, "v", "ow - L");
        b.addStatement("depthwiseChw4(s, r, p0, p1, p2, p3, off, k, kw, bias, y, yr, floor)")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return m.addCode(b.build()).build();
    }
}
