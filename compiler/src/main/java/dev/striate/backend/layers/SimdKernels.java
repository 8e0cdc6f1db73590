package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.striate.backend.layers.SimdMicroKernels.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * The shared static kernels of the generated Vector API class ({@link SimdClass}), and the registry
 * of which are used: the register-blocked direct convolution (micro-kernels of up to 4
 * output-channel vectors x 6 output pixels, a single vector x 8, output channels in lanes; the same
 * blocking as GEMM kernels for windows contiguous in the input: one-row convolutions and dense) with
 * their window offset tables, for the vector length of the running JVM
 * ({@code FloatVector.SPECIES_PREFERRED}, never hard-coded); the micro-kernels themselves are in
 * {@link SimdMicroKernels}, their drivers in {@link SimdConvDrivers}.
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

    static String kernelName(int vectors, int pixels) {
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
            return SimdMicroKernels.kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.OFFSETS);
        }
        if (name.startsWith("gemm") && name.contains("x")) {
            String[] nm = name.substring(4).split("x");
            return SimdMicroKernels.kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.GEMM);
        }
        if (name.startsWith("rows") && name.contains("x")) {
            String[] nm = name.substring(4).split("x");
            return SimdMicroKernels.kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]), Mode.ROWS);
        }
        if (name.startsWith("depthwise") && !name.equals("depthwise")) {
            String p = name.substring("depthwise".length());
            return p.equals("Tail") ? SimdDepthwise.depthwiseKernel(1, true)
                    : SimdDepthwise.depthwiseKernel(Integer.parseInt(p), false);
        }
        switch (name) {
            case "conv":
                return SimdConvDrivers.convDriver();
            case "gemm":
                return SimdConvDrivers.gemmDriver();
            case "convRows":
                return SimdConvDrivers.rowsDriver();
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

    /** The last parameter of the conv, GEMM and depthwise drivers and kernels: {@code L} floats of scratch for a partial vector. */
    static final ParameterSpec SPILL = ParameterSpec.builder(float[].class, "spill").build();

    /** The parameters of the convolution drivers: {@code (x, pix, off, w, b, y, f, tail, floor)}. */
    static final List<ParameterSpec> DRIVER = List.of(ParameterSpec.builder(float[].class, "x").build(),
            ParameterSpec.builder(int[].class, "pix").build(), ParameterSpec.builder(int[].class, "off").build(),
            ParameterSpec.builder(float[].class, "w").build(), ParameterSpec.builder(float[].class, "b").build(),
            ParameterSpec.builder(float[].class, "y").build(), ParameterSpec.builder(int.class, "f").build(),
            ParameterSpec.builder(MASK, "tail").build(), ParameterSpec.builder(float.class, "floor").build());

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
