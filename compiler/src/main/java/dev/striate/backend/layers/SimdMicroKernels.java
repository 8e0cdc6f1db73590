package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.MASK;
import static dev.striate.backend.layers.SimdKernels.gemmKernelName;
import static dev.striate.backend.layers.SimdKernels.helper;
import static dev.striate.backend.layers.SimdKernels.kernelName;
import static dev.striate.backend.layers.SimdKernels.rowKernelName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.function.IntFunction;

/**
 * The register-blocked micro-kernels of the direct and GEMM convolutions ({@code convVxP}, {@code gemmVxP},
 * {@code rowsVxP}: V output-channel vectors x P output pixels), with their loop steps and epilogues; the
 * drivers that call them are in {@link SimdConvDrivers}.
 */
final class SimdMicroKernels {
    private SimdMicroKernels() {
    }

    /** The three kinds of micro-kernel, and which of them a driver calls. */
    enum Mode {
        /** The offset-table kernels over all steps. */
        OFFSETS,
        /** The GEMM kernels over all {@code k} steps, from the bias. */
        GEMM,
        /** The GEMM kernels once per kernel row, from the bias or the stored partial sums. */
        ROWS
    }

    /**
     * {@code vectors} output-channel vectors x {@code pixels} output pixels: per step (ky, kx, c)
     * {@code vectors} weight loads, {@code pixels} broadcasts and their products into
     * {@code vectors * pixels} accumulators; then bias, activation and the store (for channel counts that
     * are not a multiple of the vector length, {@code m} is not {@code ALL} and the last vector's lanes inside
     * the channels go through {@code spill}: no masked store, see {@link #store}). Pixel
     * {@code q} reads step {@code s} at {@code x[xq + off[s]]}, or, for the GEMM kernels ({@code gemm}:
     * windows contiguous in {@code x}, a convolution with one kernel row or a dense layer), at
     * {@code x[xq + s]}, an index linear in the loop variable, so C2 checks the bounds once before the
     * loop instead of at every load.
     */
    static MethodSpec kernel(int vectors, int pixels, Mode kind) {
        if (kind == Mode.ROWS) {
            return rowKernel(vectors, pixels);
        }
        boolean gemm = kind == Mode.GEMM;
        String doc = gemm
                ? " output pixel(s) of a convolution whose windows are contiguous in {@code x}: at step\n"
                        + "{@code s < k} pixel {@code q} reads {@code x[xq + s]}"
                : " output pixel(s) of a direct convolution in HWC layout: at step {@code s} (ky, kx, c in that\n"
                        + "order) pixel {@code q} reads {@code x[xq + off[s]]}";
        MethodSpec.Builder m = helper(gemm ? gemmKernelName(vectors, pixels) : kernelName(vectors, pixels),
                vectors + " output-channel vector(s) x " + pixels + doc + "; the weights of vector {@code j} are\n"
                + "packed at {@code w[wo + j * wv + s * L]}; each accumulator starts at the bias. One flat loop over the steps\n"
                + (gemm ? "(every index the loop variable plus a constant: bounds checked once, before the loop; JDK 17's C2\n"
                        + "boxes vectors carried through nested loops)." : "(JDK 17's C2 boxes vectors carried through nested loops).")
                + " Writes {@code y[yo + q * ys + j * L]}, the last\n"
                + "vector's lanes inside the channels (through {@code spill}) when the channels end inside it ({@code m} is not\n"
                + "{@code ALL}); the epilogue is {@code max(v, floor)}: {@code 0} for relu,\n"
                + "{@code -inf} otherwise (no branch: a vector value merging control flow is boxed by JDK 17's C2).");
        inputs(m, pixels);
        m.addParameter(gemm ? int.class : int[].class, gemm ? "k" : "off")
                .addParameter(float[].class, "w").addParameter(int.class, "wo").addParameter(int.class, "wv")
                .addParameter(float[].class, "b").addParameter(int.class, "bo")
                .addParameter(float[].class, "y").addParameter(int.class, "yo").addParameter(int.class, "ys")
                .addParameter(MASK, "m").addParameter(float.class, "floor").addParameter(float[].class, "spill");
        CodeBlock.Builder b = CodeBlock.builder();
        accumulators(b, vectors, pixels);
        b.addStatement("int wi = wo");
        if (gemm) {
            b.beginControlFlow("for (int s = 0; s < k; s++)");
        } else {
            b.addStatement("int steps = off.length")
                    .beginControlFlow("for (int s = 0; s < steps; s++)")
                    .addStatement("int c = off[s]");
        }
        step(b, vectors, pixels, j -> j == 0 ? "wi" : j == 1 ? "wi + wv" : "wi + " + j + " * wv", gemm ? "x$L + s" : "x$L + c");
        b.addStatement("wi += L")
                .endControlFlow();
        store(b, vectors, pixels);
        return m.addCode(b.build()).build();
    }

    /**
     * The kernel-row kernel of {@link SimdConvDrivers#rowsDriver}: as the GEMM kernel, but each accumulator starts at
     * {@code b[bo + q * bs + j * L]} (the bias with {@code bs == 0}, or the sums earlier kernel rows stored in the
     * output), and each weight index is the loop variable times {@code L} plus an invariant rather than a second
     * induction variable ({@code wi += L}): JDK 25's C2 then drops the weights' bounds checks from the loop as it
     * does the input's (the Go net 4% faster than with {@code wi}); JDK 17's C2 spills accumulators in this form
     * (25% slower), which is why only {@code ROW_KERNELS} JVMs run these kernels.
     */
    private static MethodSpec rowKernel(int vectors, int pixels) {
        MethodSpec.Builder m = helper(rowKernelName(vectors, pixels), vectors + " output-channel vector(s) x " + pixels
                + " output pixel(s) of one kernel row of a convolution, contiguous in {@code x}: at step\n"
                + "{@code s < k} pixel {@code q} reads {@code x[xq + s]}; the weights of vector {@code j} are packed at\n"
                + "{@code w[wo + j * wv + s * L]}; the accumulator of pixel {@code q} and vector {@code j} starts at\n"
                + "{@code b[bo + q * bs + j * L]}: the bias ({@code bs == 0}) or the sums of the earlier kernel rows (in\n"
                + "{@code y}). One flat loop over the steps, every index the loop variable times a constant plus an\n"
                + "invariant (C2 checks the bounds once, before the loop). Writes {@code y[yo + q * ys + j * L]}, the last\n"
                + "vector's lanes inside the channels through {@code spill} when {@code m} is not {@code ALL}, after\n"
                + "{@code max(v, floor)} ({@code -inf} for all rows but the last).");
        inputs(m, pixels);
        m.addParameter(int.class, "k")
                .addParameter(float[].class, "w").addParameter(int.class, "wo").addParameter(int.class, "wv")
                .addParameter(float[].class, "b").addParameter(int.class, "bo").addParameter(int.class, "bs")
                .addParameter(float[].class, "y").addParameter(int.class, "yo").addParameter(int.class, "ys")
                .addParameter(MASK, "m").addParameter(float.class, "floor").addParameter(float[].class, "spill");
        CodeBlock.Builder b = CodeBlock.builder();
        for (int j = 0; j < vectors; j++) {
            for (int q = 0; q < pixels; q++) {
                String at = "bo" + (q == 0 ? "" : q == 1 ? " + bs" : " + " + q + " * bs")
                        + (j == 0 ? "" : j == 1 ? " + L" : " + " + j + " * L");
                b.addStatement("$T a$L$L = $T.fromArray(S, b, $L)", FLOAT_VECTOR, j, q, FLOAT_VECTOR, at);
            }
        }
        b.beginControlFlow("for (int s = 0; s < k; s++)");
        step(b, vectors, pixels, j -> "wo + " + (j == 0 ? "" : j == 1 ? "wv + " : j + " * wv + ") + "s * L", "x$L + s");
        b.endControlFlow();
        store(b, vectors, pixels);
        return m.addCode(b.build()).build();
    }

    /** The input parameters of a micro-kernel: the array {@code x} and each pixel's offset {@code xq} in it. */
    static void inputs(MethodSpec.Builder m, int pixels) {
        m.addParameter(float[].class, "x");
        for (int q = 0; q < pixels; q++) {
            m.addParameter(int.class, "x" + q);
        }
    }

    /** Declares the accumulators {@code ajq}, each starting at its vector's bias {@code b[bo + j * L]}. */
    private static void accumulators(CodeBlock.Builder b, int vectors, int pixels) {
        for (int j = 0; j < vectors; j++) {
            b.addStatement("$T b$L = $T.fromArray(S, b, $L)", FLOAT_VECTOR, j, FLOAT_VECTOR,
                    j == 0 ? "bo" : "bo + " + (j == 1 ? "L" : j + " * L"));
            for (int q = 0; q < pixels; q++) {
                b.addStatement("$T a$L$L = b$L", FLOAT_VECTOR, j, q, j);
            }
        }
    }

    /**
     * One step: the weight vectors at {@code w[weight(j)]}, then each pixel's input ({@code x[xq]}, with
     * {@code xq} given by the format {@code index} of the pixel number) broadcast and its products (the
     * broadcasts first, one weight vector live at a time, was 1.4x slower in the generated classes on
     * JDK 25 / AVX-512, though 5% faster in a one-layer micro-benchmark).
     */
    static void step(CodeBlock.Builder b, int vectors, int pixels, IntFunction<String> weight, String index) {
        for (int j = 0; j < vectors; j++) {
            b.addStatement("$T w$L = $T.fromArray(S, w, $L)", FLOAT_VECTOR, j, FLOAT_VECTOR, weight.apply(j));
        }
        for (int q = 0; q < pixels; q++) {
            b.addStatement("$T i$L = $T.broadcast(S, x[$L])", FLOAT_VECTOR, q, FLOAT_VECTOR, index.replace("$L", "" + q));
            for (int j = 0; j < vectors; j++) {
                b.addStatement("a$L$L = w$L.fma(i$L, a$L$L)", j, q, j, q, j, q);
            }
        }
    }
    /**
     * The epilogue {@code max(a, floor)} and the stores; when the channels end inside the last vector, its lanes
     * inside them only (stored whole into {@code spill}, then copied).
     */
    private static void store(CodeBlock.Builder b, int vectors, int pixels) {
        b.addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR);
        if (vectors * pixels > SCRATCH_EPILOGUE) {
            scratchStore(b, vectors, pixels);
            return;
        }
        for (int j = 0; j < vectors; j++) {
            for (int q = 0; q < pixels; q++) {
                b.addStatement("$T r$L$L = a$L$L.max(lo)", FLOAT_VECTOR, j, q, j, q);
            }
        }
        for (int j = 0; j < vectors - 1; j++) {
            for (int q = 0; q < pixels; q++) {
                b.addStatement("r$L$L.intoArray(y, $L)", j, q, at(j, q));
            }
        }
        // the last vector: a masked store only when the channels end inside it (JDK 17 boxes masked stores); the
        // only vector of a layer (bo == 0: it is also the first) is stored whole unless it would pass the end of y:
        // its lanes past the channels land on the next pixels' first channels, which are written later (pixels are
        // stored in order). Not when other vectors exist: their group ran first and would be overwritten.
        int j = vectors - 1;
        if (vectors == 1) {
            b.beginControlFlow("if (m == ALL || bo == 0 && $L + L <= y.length)", at(j, pixels - 1));
        } else {
            b.beginControlFlow("if (m == ALL)");
        }
        for (int q = 0; q < pixels; q++) {
            b.addStatement("r$L$L.intoArray(y, $L)", j, q, at(j, q));
        }
        b.nextControlFlow("else")
                .add("// the lanes inside the channels, through spill: a masked store is not intrinsic on JDK 17, and\n"
                        + "// for its Java fallback C2 boxes the vectors on every path, the fast one too (an allocation per call)\n")
                .addStatement("int n = ys - bo$L", j == 0 ? "" : j == 1 ? " - L" : " - " + j + " * L");
        for (int q = 0; q < pixels; q++) {
            b.addStatement("r$L$L.intoArray(spill, 0)", j, q)
                    .addStatement("System.arraycopy(spill, 0, y, $L, n)", at(j, q));
        }
        b.endControlFlow();
    }

    /**
     * Kernels with more accumulators than this store them raw into {@code spill} and apply the epilogue in a loop
     * ({@link #scratchStore}). A straight-line epilogue of 24 {@code max} and 30 stores after the 4 x 6 kernel's loop
     * exceeded JDK 17's C2 inlining budget for one compiled method (its node count): the Vector API calls after the
     * cutoff were inlined late, the stores' operands lost their exact vector type and were boxed on every call (the
     * Fashion CNN's 7x7 layer, 200 KB a prediction with {@code -Xbatch}); 12 accumulators (2 x 6, 4 x 3) stay well
     * within it.
     */
    static final int SCRATCH_EPILOGUE = 12;

    /**
     * The epilogue of a kernel with many accumulators: each stored raw into {@code spill} (its own slot, {@code
     * spill} holds {@code MAX_VECTORS * 6} vectors), then one loop over the vectors and pixels reloads it, applies
     * {@code max(v, floor)} and stores it into {@code y} (the last vector's lanes inside the channels through its
     * slot when {@code m} is not {@code ALL}): the same values as the straight-line epilogue, with few vector
     * operations in the method as C2 parses it.
     */
    private static void scratchStore(CodeBlock.Builder b, int vectors, int pixels) {
        for (int j = 0; j < vectors; j++) {
            for (int q = 0; q < pixels; q++) {
                int slot = j * pixels + q;
                b.addStatement("a$L$L.intoArray(spill, $L)", j, q, slot == 0 ? "0" : slot == 1 ? "L" : slot + " * L");
            }
        }
        b.beginControlFlow("for (int j = 0; j < $L; j++)", vectors)
                .beginControlFlow("for (int q = 0; q < $L; q++)", pixels)
                .addStatement("int slot = (j * $L + q) * L", pixels)
                .addStatement("int at = yo + q * ys + j * L")
                .addStatement("$T r = $T.fromArray(S, spill, slot).max(lo)", FLOAT_VECTOR, FLOAT_VECTOR)
                .beginControlFlow("if (j < $L || m == ALL)", vectors - 1)
                .addStatement("r.intoArray(y, at)")
                .nextControlFlow("else")
                .add("// the lanes inside the channels (no masked store: see store)\n")
                .addStatement("r.intoArray(spill, slot)")
                .addStatement("System.arraycopy(spill, slot, y, at, ys - bo - $L * L)", vectors - 1)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    private static String at(int j, int q) {
        return (q == 0 ? "yo" : q == 1 ? "yo + ys" : "yo + " + q + " * ys")
                + (j == 0 ? "" : j == 1 ? " + L" : " + " + j + " * L");
    }
}
