package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.DRIVER;
import static dev.striate.backend.layers.SimdKernels.MASK;
import static dev.striate.backend.layers.SimdKernels.MAX_VECTORS;
import static dev.striate.backend.layers.SimdKernels.NARROW_VECTORS;
import static dev.striate.backend.layers.SimdKernels.PIXEL_BLOCKS;
import static dev.striate.backend.layers.SimdKernels.SPILL;
import static dev.striate.backend.layers.SimdKernels.WIDE_LANES;
import static dev.striate.backend.layers.SimdKernels.gemmKernelName;
import static dev.striate.backend.layers.SimdKernels.helper;
import static dev.striate.backend.layers.SimdKernels.kernelName;
import static dev.striate.backend.layers.SimdKernels.rowKernelName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import dev.striate.backend.layers.SimdMicroKernels.Mode;
import java.util.List;

/**
 * The drivers of the direct and GEMM convolutions ({@code conv}, {@code gemm}, {@code convRows}): they block
 * the output channels and pixels and call the micro-kernels of {@link SimdMicroKernels}.
 */
final class SimdConvDrivers {
    private SimdConvDrivers() {
    }

    /** The parameters of the GEMM driver: {@code (x, pix, k, w, b, y, f, tail, floor, spill)}. */
    private static final List<ParameterSpec> GEMM_DRIVER = List.of(ParameterSpec.builder(float[].class, "x").build(),
            ParameterSpec.builder(int[].class, "pix").build(), ParameterSpec.builder(int.class, "k").build(),
            ParameterSpec.builder(float[].class, "w").build(), ParameterSpec.builder(float[].class, "b").build(),
            ParameterSpec.builder(float[].class, "y").build(), ParameterSpec.builder(int.class, "f").build(),
            ParameterSpec.builder(MASK, "tail").build(), ParameterSpec.builder(float.class, "floor").build(),
            SPILL);

    /** The parameters of the kernel-row driver: {@code (x, pix, off, run, w, b, y, f, tail, floor, spill)}. */
    private static final List<ParameterSpec> ROWS_DRIVER = List.of(ParameterSpec.builder(float[].class, "x").build(),
            ParameterSpec.builder(int[].class, "pix").build(), ParameterSpec.builder(int[].class, "off").build(),
            ParameterSpec.builder(int.class, "run").build(),
            ParameterSpec.builder(float[].class, "w").build(), ParameterSpec.builder(float[].class, "b").build(),
            ParameterSpec.builder(float[].class, "y").build(), ParameterSpec.builder(int.class, "f").build(),
            ParameterSpec.builder(MASK, "tail").build(), ParameterSpec.builder(float.class, "floor").build(),
            SPILL);

    /**
     * Blocks the output-channel vectors by 4 (the remainder by 3, 2 or 1) and, within each group, the
     * output pixels by that group's {@link SimdKernels#PIXEL_BLOCKS}, calling the micro-kernels.
     */
    static MethodSpec convDriver() {
        MethodSpec.Builder m = helper("conv", "A direct convolution (or, with one pixel, a dense layer) into HWC {@code y}: output pixel\n"
                + "{@code p} reads its window from {@code x} at {@code pix[p] + off[s]} for the steps {@code s} (see\n"
                + "{@link #offsets}), the {@code f} output channels are\n"
                + "{@code ceil(f / L)} vectors packed by {@link #packConv}; groups of 4 vectors, then the remaining\n"
                + "3, 2 or 1, each over all pixels in blocks of 6 (8 for a single vector), remainder pixels in\n"
                + "smaller blocks (never recomputing one).")
                .addParameters(DRIVER).addParameter(SPILL);
        return m.addCode(driverBody("off.length", Mode.OFFSETS)).build();
    }

    /** As {@link #convDriver}, for windows contiguous in {@code x}, calling the GEMM kernels. */
    static MethodSpec gemmDriver() {
        MethodSpec.Builder m = helper("gemm", "A convolution (or, with one pixel, a dense layer) into HWC {@code y} whose windows are\n"
                + "contiguous in {@code x}: output pixel {@code p} reads {@code x[pix[p] + s]} for the {@code k} steps\n"
                + "{@code s}; the {@code f} output channels are {@code ceil(f / L)} vectors packed by {@link #packConv},\n"
                + "blocked as {@link #conv} blocks them.")
                .addParameters(GEMM_DRIVER);
        return m.addCode(driverBody("k", Mode.GEMM)).build();
    }

    /**
     * A direct convolution whose kernel rows are contiguous in {@code x} (no column dilation: the {@code kw x c}
     * steps of one kernel row are one run of the HWC input), run one kernel row at a time through the GEMM
     * kernels: per block of pixels, row 0 starts at the bias and stores its sums in {@code y}, each later row
     * continues from them, the last one applies the activation. Every lane still sums over (ky, kx, c) in order
     * (the stored partial sums are the accumulators' exact values), so the results are those of {@link #convDriver};
     * the kernels' indices are linear in the step, so C2 checks no bounds inside their loops (the offset-table
     * kernels check every broadcast and keep each pixel's offset in a register or on the stack).
     */
    static MethodSpec rowsDriver() {
        MethodSpec.Builder m = helper("convRows", "A direct convolution into HWC {@code y} one kernel row at a time: output pixel\n"
                + "{@code p} reads kernel row {@code r} from {@code x} at {@code pix[p] + off[r * run] + t} for the {@code run}\n"
                + "steps {@code t} of that row (its kx and c), the {@code f} output channels are {@code f / L} vectors packed by\n"
                + "{@link #packConv}, blocked as {@link #conv} blocks them; the first row starts at the bias, the others at\n"
                + "the sums the previous rows stored in {@code y}, the last applies {@code floor}. A channel count that is not\n"
                + "a whole number of vectors runs {@link #conv} instead (partial sums would need a masked reload), and so\n"
                + "does a JVM without {@code ROW_KERNELS} (JDK 17, whose C2 compiles the row kernels slower).")
                .addParameters(ROWS_DRIVER);
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("if (f % L != 0 || !ROW_KERNELS)")
                .addStatement("conv(x, pix, off, w, b, y, f, tail, floor, spill)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("int rows = off.length / run");
        return m.addCode(driverBody("off.length", Mode.ROWS, b)).build();
    }

    private static CodeBlock driverBody(String steps, Mode mode) {
        return driverBody(steps, mode, CodeBlock.builder());
    }

    private static CodeBlock driverBody(String steps, Mode mode, CodeBlock.Builder b) {
        b.addStatement("int nv = (f + L - 1) / L")
                .addStatement("int kl = $L * L", steps)
                .addStatement("int pixels = pix.length")
                .addStatement("int v = 0")
                .beginControlFlow("if (L >= $L)", WIDE_LANES)
                .beginControlFlow("for (; v + $L <= nv; v += $L)", MAX_VECTORS, MAX_VECTORS)
                .addStatement("$T m = v + $L == nv ? tail : ALL", MASK, MAX_VECTORS);
        pixelLoops(b, MAX_VECTORS, "m", mode);
        b.endControlFlow()
                .nextControlFlow("else")
                .beginControlFlow("for (; v + $L <= nv; v += $L)", NARROW_VECTORS, NARROW_VECTORS)
                .addStatement("$T m = v + $L == nv ? tail : ALL", MASK, NARROW_VECTORS);
        pixelLoops(b, NARROW_VECTORS, "m", mode);
        b.endControlFlow().endControlFlow();
        for (int n = MAX_VECTORS - 1; n >= 1; n--) {
            if (n == MAX_VECTORS - 1) {
                b.beginControlFlow("if (nv - v == $L)", n);
            } else {
                b.nextControlFlow("else if (nv - v == $L)", n);
            }
            pixelLoops(b, n, "tail", mode);
        }
        b.endControlFlow();
        return b.build();
    }

    private static void pixelLoops(CodeBlock.Builder b, int vectors, String mask, Mode mode) {
        b.addStatement("int p = 0");
        for (int pixels : PIXEL_BLOCKS[vectors - 1]) {
            StringBuilder xs = new StringBuilder();
            for (int q = 0; q < pixels; q++) {
                xs.append(q == 0 ? "pix[p]" : ", pix[p + " + q + "]").append(mode == Mode.ROWS ? " + o" : "");
            }
            b.beginControlFlow("for (; p + $L <= pixels; p += $L)", pixels, pixels);
            switch (mode) {
                case OFFSETS:
                    b.addStatement("$L(x, $L, off, w, v * kl, kl, b, v * L, y, p * f + v * L, f, $L, floor, spill)",
                            kernelName(vectors, pixels), xs, mask);
                    break;
                case GEMM:
                    b.addStatement("$L(x, $L, k, w, v * kl, kl, b, v * L, y, p * f + v * L, f, $L, floor, spill)",
                            gemmKernelName(vectors, pixels), xs, mask);
                    break;
                default:
                    b.beginControlFlow("for (int r = 0; r < rows; r++)")
                            .addStatement("int o = off[r * run]")
                            .addStatement("boolean first = r == 0")
                            .addStatement("$L(x, $L, run, w, v * kl + r * run * L, kl, first ? b : y, first ? v * L : p * f + v * L,\n"
                                    + "first ? 0 : f, y, p * f + v * L, f, $L, r == rows - 1 ? floor : Float.NEGATIVE_INFINITY, spill)",
                                    rowKernelName(vectors, pixels), xs, mask)
                            .endControlFlow();
                    break;
            }
            b.endControlFlow();
        }
    }
}
