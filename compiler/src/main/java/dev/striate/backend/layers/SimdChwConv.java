package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.List;

/**
 * The direct convolution of a CHW input with few filters (LeNet-5's first layer, 1 -> 6 5x5; tiny_resnet's
 * 3 -> 8 and 8 -> 8 3x3) in CHW with output pixels in lanes: in HWC with the channels in lanes, 6 filters
 * fill 6 of 16 lanes on AVX-512; here every lane is an output pixel of one row. Stride 1; without padding
 * the input is read in place, with padding from a zero-padded CHW copy ({@code padChw}, whose borders are
 * never written). Per call of the micro-kernel {@code chwConvF} ({@code F} filters, 2
 * pixel vectors) and per step {@code (ky, kx, c)}: 2 input vector loads, {@code F} weight broadcasts and
 * {@code 2F} FMAs into {@code 2F} accumulators. A row not a whole number of vectors ends with a vector
 * overlapping its predecessor (same results); a row shorter than a vector runs a scalar loop with the
 * same FMAs. Each output sums from its bias over {@code (ky, kx, c)} in that order with FMAs: the order
 * of the HWC kernels of {@link SimdKernels}, so the results are those of the HWC path, bit for bit.
 */
final class SimdChwConv {
    /** The prefix of the helpers' names: {@code chwConv6} (driver), {@code chwConvKernel6}, {@code packChwConv}. */
    static final String PREFIX = "chwConv";
    /** The weight packing's name. */
    static final String PACK = "packChwConv";
    /** The step offsets' name. */
    static final String OFFSETS = "chwOffsets";
    /** The most filters the kernel takes (2 x 8 accumulators). */
    static final int MAX_FILTERS = 8;
    /** The most input channels (steps per output: channels x kernel taps). */
    static final int MAX_CHANNELS = 16;

    private SimdChwConv() {
    }

    /** Whether {@code name} is one of these helpers. */
    static boolean owns(String name) {
        return name.startsWith(PREFIX) || name.equals(PACK) || name.equals(OFFSETS);
    }

    /** The helpers {@code name} calls (itself included). */
    static List<String> closure(String name) {
        return name.startsWith(PREFIX) && !name.startsWith(PREFIX + "Kernel")
                ? List.of(name, PREFIX + "Kernel" + name.substring(PREFIX.length())) : List.of(name);
    }

    /** The driver for {@code filters} filters. */
    static String driver(int filters) {
        return PREFIX + filters;
    }

    /** The helper {@code name}. */
    static MethodSpec method(String name) {
        if (name.equals(PACK)) {
            return pack();
        }
        if (name.equals(OFFSETS)) {
            return offsets();
        }
        if (name.startsWith(PREFIX + "Kernel")) {
            return kernel(Integer.parseInt(name.substring((PREFIX + "Kernel").length())));
        }
        return driverMethod(Integer.parseInt(name.substring(PREFIX.length())));
    }

    private static MethodSpec pack() {
        return helper(PACK, "Packs the weights of a convolution ({@code f} filters of {@code k} steps, filter {@code o}'s step\n"
                + "{@code s} (c, ky, kx) at {@code w[off + o * fs + s * ks]}) as the CHW kernels read them: step (ky, kx, c),\n"
                + "then filter; {@code taps = kh * kw}.")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addParameter(int.class, "c").addParameter(int.class, "taps").addParameter(int.class, "fs")
                .addParameter(int.class, "ks")
                .addCode(CodeBlock.builder()
                        .addStatement("float[] p = new float[f * c * taps]")
                        .beginControlFlow("for (int o = 0; o < f; o++)")
                        .add("// step s = (ci, ky, kx) of the blob goes to step (ky, kx, ci)\n")
                        .beginControlFlow("for (int s = 0; s < c * taps; s++)")
                        .addStatement("p[(s % taps * c + s / taps) * f + o] = w[off + o * fs + s * ks]")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return p")
                        .build())
                .build();
    }

    private static MethodSpec offsets() {
        return SimdKernels.offsetTable(OFFSETS, "Where step {@code (ky, kx, ci)} of a window reads, relative to the window's start, in a\n"
                + "CHW input: {@code ci * plane + ky * rowStep + kx * colStep}.", true);
    }

    private static MethodSpec kernel(int f) {
        MethodSpec.Builder m = helper(PREFIX + "Kernel" + f, f + " filters x 2 pixel vectors of a CHW convolution: vector {@code q} reads step {@code s}\n"
                + "at {@code x[xq + off[s]]} and writes filter {@code o} at {@code y[o * plane + yq]}; the weight of step\n"
                + "{@code s} and filter {@code o} is {@code w[s * " + f + " + o]}; each accumulator starts at its bias; one flat loop\n"
                + "over the steps (JDK 17's C2 boxes vectors carried through nested loops); then {@code max(v, floor)}.")
                .addParameter(float[].class, "x").addParameter(int.class, "x0").addParameter(int.class, "x1")
                .addParameter(int[].class, "off").addParameter(float[].class, "w").addParameter(float[].class, "b")
                .addParameter(float[].class, "y").addParameter(int.class, "y0").addParameter(int.class, "y1")
                .addParameter(int.class, "plane").addParameter(float.class, "floor");
        CodeBlock.Builder b = CodeBlock.builder();
        for (int o = 0; o < f; o++) {
            b.addStatement("$T a$L0 = $T.broadcast(S, b[$L])", FLOAT_VECTOR, o, FLOAT_VECTOR, o)
                    .addStatement("$T a$L1 = a$L0", FLOAT_VECTOR, o, o);
        }
        b.addStatement("int steps = off.length")
                .addStatement("int wi = 0")
                .beginControlFlow("for (int s = 0; s < steps; s++)")
                .addStatement("int c = off[s]")
                .addStatement("$T i0 = $T.fromArray(S, x, x0 + c)", FLOAT_VECTOR, FLOAT_VECTOR)
                .addStatement("$T i1 = $T.fromArray(S, x, x1 + c)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int o = 0; o < f; o++) {
            b.addStatement("$T k$L = $T.broadcast(S, w[wi$L])", FLOAT_VECTOR, o, FLOAT_VECTOR, o == 0 ? "" : " + " + o)
                    .addStatement("a$L0 = k$L.fma(i0, a$L0)", o, o, o)
                    .addStatement("a$L1 = k$L.fma(i1, a$L1)", o, o, o);
        }
        b.addStatement("wi += $L", f)
                .endControlFlow()
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
        for (int o = 0; o < f; o++) {
            String at = o == 0 ? "" : o == 1 ? "plane + " : o + " * plane + ";
            b.addStatement("a$L0.max(lo).intoArray(y, $Ly0)", o, at)
                    .addStatement("a$L1.max(lo).intoArray(y, $Ly1)", o, at);
        }
        return m.addCode(b.build()).build();
    }

    private static MethodSpec driverMethod(int f) {
        MethodSpec.Builder m = helper(driver(f), "A convolution of " + f + " filters, stride 1, no padding, from CHW {@code x} (rows of {@code w}\n"
                + "floats) into CHW {@code y} ({@code oh x ow} per filter): step {@code s} (ky, kx, c) of output pixel\n"
                + "{@code (oy, ox)} reads {@code x[oy * w + ox + off[s]]}; each row is covered by {@code ceil(ow / L)}\n"
                + "vectors (the last overlapping its predecessor), taken two at a time across rows (an odd last one\n"
                + "twice); rows shorter than a vector by a scalar loop with the same FMAs in the same order.")
                .addParameter(float[].class, "x").addParameter(int.class, "w").addParameter(int[].class, "off")
                .addParameter(float[].class, "k").addParameter(float[].class, "b").addParameter(float[].class, "y")
                .addParameter(int.class, "oh").addParameter(int.class, "ow").addParameter(float.class, "floor");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int plane = oh * ow")
                .beginControlFlow("if (ow < L)")
                .addStatement("int steps = off.length")
                .beginControlFlow("for (int o = 0; o < $L; o++)", f)
                .beginControlFlow("for (int p = 0; p < plane; p++)")
                .addStatement("int xp = p / ow * w + p % ow")
                .addStatement("float a = b[o]")
                .beginControlFlow("for (int s = 0; s < steps; s++)")
                .addStatement("a = Math.fma(k[s * $L + o], x[xp + off[s]], a)", f)
                .endControlFlow()
                .addStatement("y[o * plane + p] = Math.max(a, floor)")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return")
                .endControlFlow()
                .addStatement("int perRow = (ow + L - 1) / L")
                .addStatement("int n = oh * perRow")
                .beginControlFlow("for (int v = 0; v < n; v += 2)")
                .addStatement("int u = Math.min(v + 1, n - 1)")
                .addStatement("int r0 = v / perRow")
                .addStatement("int c0 = Math.min(v % perRow * L, ow - L)")
                .addStatement("int r1 = u / perRow")
                .addStatement("int c1 = Math.min(u % perRow * L, ow - L)")
                .addStatement("$L(x, r0 * w + c0, r1 * w + c1, off, k, b, y, r0 * ow + c0, r1 * ow + c1, plane, floor)",
                        PREFIX + "Kernel" + f)
                .endControlFlow();
        return m.addCode(b.build()).build();
    }
}
