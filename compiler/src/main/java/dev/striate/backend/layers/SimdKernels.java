package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * The shared static kernels of the generated Vector API class ({@link SimdClass}), and the registry
 * of which are used: the register-blocked direct convolution (micro-kernels of up to 4
 * output-channel vectors x 6 output pixels, a single vector x 8, output channels in lanes; the same
 * blocking as GEMM kernels for windows contiguous in the input: one-row convolutions and dense) with
 * their window offset tables, for the vector length of the running JVM
 * ({@code FloatVector.SPECIES_PREFERRED}, never hard-coded).
 * Layer methods call them with literal shapes. Every reduction runs in a fixed order: each lane
 * sums its products over (ky, kx, c) in that order with FMAs, and no horizontal sum is needed, so
 * results do not depend on which compiler tier runs the code. The depthwise kernels are in
 * {@link SimdDepthwise}, pooling in {@link SimdPools}, tanh and sigmoid in {@link SimdActivations}, the CHW
 * kernels (pixels in lanes: 1x1 and depthwise convolutions) in {@link SimdChw}, the few-filter CHW
 * convolution in {@link SimdChwConv}, the layout copies and the weight packing run once at load time in
 * {@link SimdLayouts}.
 */
final class SimdKernels {
    static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    static final ClassName VECTOR_SPECIES = ClassName.get("jdk.incubator.vector", "VectorSpecies");
    static final ClassName VECTOR_MASK = ClassName.get("jdk.incubator.vector", "VectorMask");
    static final TypeName SPECIES = ParameterizedTypeName.get(VECTOR_SPECIES, ClassName.get(Float.class));
    static final TypeName MASK = ParameterizedTypeName.get(VECTOR_MASK, ClassName.get(Float.class));

    /** Output-channel vectors of the largest micro-kernel. */
    static final int MAX_VECTORS = 4;
    /**
     * The lane count from which the generated code assumes 32 vector registers ({@code L >= WIDE_LANES}: AVX-512); with
     * fewer lanes (AVX2, SSE) there are 16, and the drivers and the 1x1 CHW kernel take smaller register blocks. The one
     * place this threshold is written: the generated tests read {@code L >= 16}.
     */
    static final int WIDE_LANES = 16;
    /**
     * Output-channel vectors per block of the drivers (direct, GEMM and Winograd) when the vectors have fewer than
     * {@link #WIDE_LANES} lanes ({@code L < 16}: AVX2, 16 vector registers): 2 vectors x 6 pixels = 12 accumulators,
     * 2 weight vectors and a broadcast fit the 16 registers, where 4 x 6 spills. The same sums in the same order, so the same bits. With
     * {@code -XX:UseAVX=2} on an AVX-512 machine (2026-12-03) 4 x 6 made the Go net's vector class 1.87x slower than the
     * scalar class on JDK 25 (benchmarks/README.md, "AVX2 emulation").
     */
    static final int NARROW_VECTORS = 2;
    /**
     * Output pixels of the micro-kernels by their number of output-channel vectors (index - 1), the
     * largest block first, smaller ones for the remainder (never recomputing a pixel). A single
     * vector takes 8 pixels (8 accumulators instead of 6: measured 5% faster on LeNet-5's convolutions
     * on AVX-512); more pixels keep more per-pixel input offsets live than x86-64 has general
     * registers (spilled, they cost a load each per step: 1 x 24 was slower, 1 x 12 no better than
     * 1 x 8, 2 x 8 and 2 x 12 no better than 2 x 6 on MNIST).
     */
    static final int[][] PIXEL_BLOCKS = {{8, 3, 1}, {6, 3, 1}, {6, 3, 1}, {6, 3, 1}};
    /**
     * Output pixels per call of the depthwise micro-kernels, the largest block first: each (ky, kx) step
     * loads one weight vector and reuses it for that many pixels.
     */
    static final int[] DEPTHWISE_PIXELS = {8, 4, 1};


    private final Set<String> used = new TreeSet<>();

    /** Marks the helper {@code name} (and what it calls) as needed. */
    void use(String name) {
        if (SimdChw.NAMES.contains(name)) {
            used.addAll(SimdChw.closure(name));
            return;
        }
        if (SimdChwConv.owns(name)) {
            used.addAll(SimdChwConv.closure(name));
            return;
        }
        if (SimdWinograd.owns(name)) {
            used.addAll(SimdWinograd.closure(name));
            return;
        }
        used.add(name);
        if (name.equals("convRows")) {
            use("conv");
            for (int n = 1; n <= MAX_VECTORS; n++) {
                for (int p : PIXEL_BLOCKS[n - 1]) {
                    used.add(rowKernelName(n, p));
                }
            }
        }
        if (name.equals("conv")) {
            for (int n = 1; n <= MAX_VECTORS; n++) {
                for (int p : PIXEL_BLOCKS[n - 1]) {
                    used.add(kernelName(n, p));
                }
            }
        }
        if (name.equals("gemm")) {
            for (int n = 1; n <= MAX_VECTORS; n++) {
                for (int p : PIXEL_BLOCKS[n - 1]) {
                    used.add(gemmKernelName(n, p));
                }
            }
        }
        if (name.equals("depthwise")) {
            for (int p : DEPTHWISE_PIXELS) {
                used.add("depthwise" + p);
            }
            used.add("depthwiseTail");
        }
    }

    /** The helpers used, in a fixed order. */
    List<MethodSpec> methods() {
        List<MethodSpec> all = new ArrayList<>();
        for (String name : used) {
            all.add(method(name));
        }
        return all;
    }

    private static String kernelName(int vectors, int pixels) {
        return "conv" + vectors + "x" + pixels;
    }

    static String gemmKernelName(int vectors, int pixels) {
        return "gemm" + vectors + "x" + pixels;
    }

    static String rowKernelName(int vectors, int pixels) {
        return "rows" + vectors + "x" + pixels;
    }

    private static MethodSpec method(String name) {
        if (SimdActivations.NAMES.contains(name)) {
            return SimdActivations.method(name);
        }
        if (SimdChw.NAMES.contains(name)) {
            return SimdChw.method(name);
        }
        if (SimdChwConv.owns(name)) {
            return SimdChwConv.method(name);
        }
        if (SimdWinograd.owns(name)) {
            return SimdWinograd.method(name);
        }
        if (name.startsWith("conv") && name.contains("x")) {
            String[] nm = name.substring(4).split("x");
            return kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.OFFSETS);
        }
        if (name.startsWith("gemm") && name.contains("x")) {
            String[] nm = name.substring(4).split("x");
            return kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.GEMM);
        }
        if (name.startsWith("rows") && name.contains("x")) {
            String[] nm = name.substring(4).split("x");
            return kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.ROWS);
        }
        if (name.startsWith("depthwise") && !name.equals("depthwise")) {
            String p = name.substring("depthwise".length());
            return p.equals("Tail") ? SimdDepthwise.depthwiseKernel(1, true)
                    : SimdDepthwise.depthwiseKernel(Integer.parseInt(p), false);
        }
        switch (name) {
            case "conv":
                return convDriver();
            case "gemm":
                return gemmDriver();
            case "convRows":
                return rowsDriver();
            case "depthwise":
                return SimdDepthwise.depthwiseDriver();
            case "packDepthwise":
                return SimdDepthwise.packDepthwise();
            case "maxPool":
                return SimdPools.pool(true);
            case "avgPool":
                return SimdPools.pool(false);
            case "maxPool2x2":
                return SimdPools.pool2x2(true);
            case "avgPool2x2":
                return SimdPools.pool2x2(false);
            case "globalMaxPool":
                return SimdPools.globalPool(true);
            case "globalAvgPool":
                return SimdPools.globalPool(false);
            case "toHwc":
                return SimdLayouts.toHwc();
            case "padHwc":
                return SimdLayouts.padHwc();
            case "toChw":
                return SimdLayouts.toChw();
            case "padChw":
                return SimdLayouts.padChw();
            case "packConv":
                return SimdLayouts.packConv();
            case "packDense":
                return SimdLayouts.packDense();
            case "packBias":
                return SimdLayouts.packBias();
            case "pixels":
                return pixels();
            case "offsets":
                return offsets();
            case "tail":
                return tail();
            default:
                throw new IllegalArgumentException("no SIMD helper " + name);
        }
    }

    static MethodSpec.Builder helper(String name, String doc) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC).addJavadoc(doc + "\n");
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
    private static MethodSpec kernel(int vectors, int pixels, Mode kind) {
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
     * The kernel-row kernel of {@link #rowsDriver}: as the GEMM kernel, but each accumulator starts at
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

    /** The last parameter of the conv, GEMM and depthwise drivers and kernels: {@code L} floats of scratch for a partial vector. */
    static final ParameterSpec SPILL = ParameterSpec.builder(float[].class, "spill").build();

    /** The parameters of the convolution drivers: {@code (x, pix, off, w, b, y, f, tail, floor)}. */
    static final List<ParameterSpec> DRIVER = List.of(ParameterSpec.builder(float[].class, "x").build(),
            ParameterSpec.builder(int[].class, "pix").build(), ParameterSpec.builder(int[].class, "off").build(),
            ParameterSpec.builder(float[].class, "w").build(), ParameterSpec.builder(float[].class, "b").build(),
            ParameterSpec.builder(float[].class, "y").build(), ParameterSpec.builder(int.class, "f").build(),
            ParameterSpec.builder(MASK, "tail").build(), ParameterSpec.builder(float.class, "floor").build());

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
     * output pixels by that group's {@link #PIXEL_BLOCKS}, calling the micro-kernels.
     */
    private static MethodSpec convDriver() {
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
    private static MethodSpec gemmDriver() {
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
    private static MethodSpec rowsDriver() {
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

    /** The three kinds of micro-kernel, and which of them a driver calls. */
    private enum Mode {
        /** The offset-table kernels over all steps. */
        OFFSETS,
        /** The GEMM kernels over all {@code k} steps, from the bias. */
        GEMM,
        /** The GEMM kernels once per kernel row, from the bias or the stored partial sums. */
        ROWS
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

    private static MethodSpec pixels() {
        return helper("pixels", "Where each of the {@code oh x ow} output pixels' windows starts in a padded HWC input of\n"
                + "row pitch {@code wp} pixels of {@code c} channels, for strides {@code (sh, sw)}.")
                .returns(int[].class)
                .addParameter(int.class, "oh").addParameter(int.class, "ow").addParameter(int.class, "sh")
                .addParameter(int.class, "sw").addParameter(int.class, "wp").addParameter(int.class, "c")
                .addCode(CodeBlock.builder()
                        .addStatement("int[] pix = new int[oh * ow]")
                        .beginControlFlow("for (int oy = 0; oy < oh; oy++)")
                        .beginControlFlow("for (int ox = 0; ox < ow; ox++)")
                        .addStatement("pix[oy * ow + ox] = (oy * sh * wp + ox * sw) * c")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return pix")
                        .build())
                .build();
    }

    private static MethodSpec offsets() {
        return offsetTable("offsets", "Where step {@code (ky, kx, ci)} of a window reads, relative to the window's start, in an\n"
                + "HWC input of {@code c} channels: {@code ky * rowStep + kx * colStep + ci}.", false);
    }

    /**
     * A helper {@code name(kh, kw, c, [plane,] rowStep, colStep)} returning the offset of each step
     * {@code (ky, kx, ci)} of a window: channels adjacent (HWC), or {@code plane} apart ({@code planes}, CHW).
     */
    static MethodSpec offsetTable(String name, String doc, boolean planes) {
        MethodSpec.Builder m = helper(name, doc)
                .returns(int[].class)
                .addParameter(int.class, "kh").addParameter(int.class, "kw").addParameter(int.class, "c");
        if (planes) {
            m.addParameter(int.class, "plane");
        }
        return m.addParameter(int.class, "rowStep").addParameter(int.class, "colStep")
                .addCode(CodeBlock.builder()
                        .addStatement("int[] off = new int[kh * kw * c]")
                        .beginControlFlow("for (int ky = 0; ky < kh; ky++)")
                        .beginControlFlow("for (int kx = 0; kx < kw; kx++)")
                        .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                        .addStatement("off[(ky * kw + kx) * c + ci] = $L", planes ? "ci * plane + ky * rowStep + kx * colStep"
                                : "ky * rowStep + kx * colStep + ci")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return off")
                        .build())
                .build();
    }

    private static MethodSpec tail() {
        return helper("tail", "The mask of the last of the {@code ceil(f / L)} vectors of {@code f} channels.")
                .returns(MASK)
                .addParameter(int.class, "f")
                .addStatement("return f % L == 0 ? ALL : S.indexInRange((f + L - 1) / L * L - L, f)")
                .build();
    }
}
