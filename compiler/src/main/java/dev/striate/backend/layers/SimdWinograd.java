package dev.striate.backend.layers;

import static dev.striate.backend.layers.SimdKernels.FLOAT_VECTOR;
import static dev.striate.backend.layers.SimdKernels.MAX_VECTORS;
import static dev.striate.backend.layers.SimdKernels.PIXEL_BLOCKS;
import static dev.striate.backend.layers.SimdKernels.helper;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Winograd F(2x2, 3x3) for the 3x3 stride-1 convolutions of the vector variant (HWC, channels in lanes):
 * each 4x4 input tile (stride 2) is transformed to {@code V[xi][tile][c] = B^T d B}, then per transformed
 * position {@code xi} (16) one GEMM {@code M[xi][tile][f] = sum_c V[xi][tile][c] U[xi][c][f]} runs through
 * register-blocked micro-kernels (tiles as pixels, channels as steps; the direct convolution's kernel-row
 * kernels on {@code ROW_KERNELS} JVMs, elsewhere kernels of its own, {@link #kernel}: both sum in the same order
 * from zero, so they give the same bits), then {@code A^T M A} plus the bias and {@code max(v, floor)} into HWC {@code y}
 * (tiles past the edge cropped). The weights {@code U = G g G^T} are transformed once at load time, in double,
 * for the running vector length. 2.25x fewer multiplies than the direct convolution; every sum in a fixed
 * order, so the results do not depend on what C2 compiled (not bit-identical to the direct path: other sums,
 * within the same tolerance).
 *
 * <p>Chosen at compile time for a 3x3, stride 1, dilation 1, groups 1 convolution with padding 0 or 1 and
 * an element-wise activation, of at least {@link #MIN_TILES} output tiles (counting only the rows and columns a
 * pool reads, fused or its sole reader: the others are not computed; or {@link #MIN_CROPPED_TILES} for a cropped
 * map) and at least {@link #MIN_WIDTH} input x output channels
 * (measured, docs/vector.md); taken at run time when both channel counts are whole numbers of vectors
 * and {@code WINOGRAD} is on (by default; JVM property {@code striate.winograd=false} turns it off); otherwise the
 * layer runs its direct convolution as before.
 */
final class SimdWinograd {
    /** The layer driver; the other helpers are named {@code wino...} too. */
    static final String DRIVER = "winograd";
    static final String PACK = "winoPack";
    private static final String PREFIX = "wino";
    private static final String GEMM = "winoGemm";
    /** The GEMMs' own micro-kernels ({@link #kernel}), {@code winoK<vectors>x<tiles>}. */
    private static final String KERNEL = "winoK";
    /** The three phases of {@link #DRIVER}, which {@code runBatch} also calls on a block of images. */
    static final String TILES_IN = "winoTilesIn";
    static final String GEMMS = "winoGemms";
    static final String TILES_OUT = "winoTilesOut";
    /** The fewest 2x2 output tiles: 16 tiles measured 0.90-0.96x the direct time (with wide channels). */
    static final int MIN_TILES = 16;
    /**
     * Fewer tiles still take Winograd when a pool crops the map and the direct path (which computes the whole map)
     * multiplies at least {@link #CROPPED_WORK} times as much: the Fashion CNN's 256 -> 256 layer on 7x7, whose pool
     * reads 6x6 (9 tiles, 144 multiplies a channel pair against 441), measured 0.52x the direct time.
     */
    static final int MIN_CROPPED_TILES = 9;
    static final int CROPPED_WORK = 3;
    /** Input x output channels needed (the MNIST CNN's 32 -> 64 layer, 25 tiles, measured 0.74x the whole call). */
    static final long MIN_WIDTH = 2048;

    private SimdWinograd() {
    }

    /**
     * Whether the layer takes Winograd (at run time, when its channels are whole vectors), computing the first
     * {@code needH} rows and {@code needW} columns of its output (all of them, or those a fused pool reads).
     */
    static boolean eligible(Conv2d op, ConvGeometry g, int needH, int needW) {
        if (op.groups() != 1 || g.kh() != 3 || g.kw() != 3 || g.sh() != 1 || g.sw() != 1 || g.dh() != 1
                || g.dw() != 1 || g.padTop() > 1 || g.padLeft() > 1 || !op.activation().isElementwise()) {
            return false;
        }
        long tiles = tiles(needH, needW);
        long width = (long) g.inC() * g.outC();
        boolean enough = tiles >= MIN_TILES
                || tiles >= MIN_CROPPED_TILES && CROPPED_WORK * 16 * tiles <= 9L * g.outH() * g.outW();
        return enough && width >= MIN_WIDTH
                && 16 * width <= SimdSizes.MAX_ARRAY
                && 16 * tiles * Math.max(g.inC(), g.outC()) <= SimdSizes.MAX_ARRAY;
    }

    /** The 2x2 tiles covering the first {@code h} rows and {@code w} columns of the output. */
    static int tiles(int h, int w) {
        return ((h + 1) / 2) * ((w + 1) / 2);
    }

    /** The padded input's rows (or columns) a Winograd layer of {@code out} output rows reads: whole tiles. */
    static int span(int out) {
        return (out + 1) / 2 * 2 + 2;
    }

    /**
     * Declares the transformed weights {@code u_m} (null unless this JVM takes the path: {@code WINOGRAD} and
     * both channel counts whole vectors); filter {@code o}'s weight {@code (ci, ky, kx)} is at
     * {@code weights[off + o * fs + (ci * 9 + ky * 3 + kx) * ks]}. Must precede the direct packing, which is
     * skipped when {@code u_m} is made.
     */
    static void pack(SimdClass c, String m, int off, int f, int ch, int fs, int ks) {
        flag(c);
        c.kernels.use(PACK);
        c.packedField(TypeName.get(float[].class), "u_" + m, CodeBlock.of(
                "WINOGRAD && $L % L == 0 && $L % L == 0 ? $L(weights, $L, $L, $L, $L, $L) : null", ch, f, PACK, off, f, ch, fs, ks));
    }

    /**
     * Opens {@code if (packed.u_m != null) { winograd ... } else {} in the layer body: the caller emits the direct
     * convolution and closes the block. Scratch: {@code wgV}, {@code wgM} shared by every Winograd layer of the
     * instance, grown to the largest on first use (nothing allocated in steady state).
     */
    static void open(SimdClass c, CodeBlock.Builder b, String m, String xs, int wp, ConvGeometry g, int needH, int needW,
                     String y, String floor) {
        c.kernels.use(DRIVER);
        c.spill();
        if (c.fields.stream().noneMatch(fs -> fs.name().equals("wgV"))) {
            for (String n : new String[] {"wgV", "wgM"}) {
                c.fields.add(FieldSpec.builder(float[].class, n, Modifier.PRIVATE).initializer("new float[0]").build());
            }
        }
        int tiles = tiles(needH, needW);
        b.beginControlFlow("if (packed.u_$L != null)", m)
                .add("// Winograd F(2x2,3x3): $L tiles\n", tiles)
                .beginControlFlow("if (wgV.length < $L)", 16 * tiles * g.inC()).addStatement("wgV = new float[$L]",
                        16 * tiles * g.inC()).endControlFlow()
                .beginControlFlow("if (wgM.length < $L)", 16 * tiles * g.outC()).addStatement("wgM = new float[$L]",
                        16 * tiles * g.outC()).endControlFlow()
                .addStatement("$L($L, $L, $L, $L, $L, wgV, packed.u_$L, wgM, packed.b_$L, $L, $L, $L, $L, $L, spill)",
                        DRIVER, xs, wp, (needH + 1) / 2, (needW + 1) / 2, g.inC(), m, m, y, g.outH(), g.outW(),
                        g.outC(), floor)
                .nextControlFlow("else");
    }

    /** Declares {@code WINOGRAD} and {@code ROW_KERNELS} (the GEMMs' kernel choice) once. */
    private static void flag(SimdClass c) {
        c.rowKernels();
        if (c.fields.stream().noneMatch(fs -> fs.name().equals("WINOGRAD"))) {
            c.fields.add(FieldSpec.builder(boolean.class, "WINOGRAD", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Whether the 3x3 convolutions chosen for it run Winograd F(2x2,3x3) (when their channels are\n"
                            + "whole vectors): measured faster than the direct path on JDK 25 (Go net 0.69x, Fashion CNN 0.87x) and\n"
                            + "JDK 17 (Fashion CNN 0.88x, Go net 0.65x, MNIST CNN 0.80x), allocation-free on both (docs/vector.md).\n"
                            + "The system property {@code striate.winograd} ({@code false}) turns it off.\n")
                    .initializer("$T.getProperty($S) == null || $T.getBoolean($S)",
                            System.class, "striate.winograd", Boolean.class, "striate.winograd").build());
            c.fields.add(FieldSpec.builder(float[].class, "WG_ZERO", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Zero starting sums for the Winograd GEMMs' kernels.\n")
                    .initializer("new float[$L * L]", MAX_VECTORS).build());
        }
    }

    static boolean owns(String name) {
        return name.startsWith(PREFIX) || name.equals(DRIVER);
    }

    /** The helpers {@code name} calls (itself included), the micro-kernels of {@link SimdKernels} among them. */
    static List<String> closure(String name) {
        List<String> all = new ArrayList<>(List.of(name));
        if (name.equals(DRIVER)) {
            all.addAll(List.of(TILES_IN, GEMMS, TILES_OUT, GEMM));
            for (int n = 1; n <= MAX_VECTORS; n++) {
                for (int p : PIXEL_BLOCKS[n - 1]) {
                    all.add(SimdKernels.rowKernelName(n, p));
                    all.add(kernelName(n, p));
                }
            }
        }
        return all;
    }

    static MethodSpec method(String name) {
        switch (name) {
            case DRIVER:
                return driver();
            case TILES_IN:
                return tilesIn();
            case GEMMS:
                return gemms();
            case TILES_OUT:
                return tilesOut();
            case GEMM:
                return gemm();
            case PACK:
                return pack();
            default:
                if (name.startsWith(KERNEL)) {
                    String[] nm = name.substring(KERNEL.length()).split("x");
                    return kernel(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
                }
                throw new IllegalArgumentException("no Winograd helper " + name);
        }
    }

    private static MethodSpec driver() {
        return helper(DRIVER, "Winograd F(2x2,3x3) of the zero-padded HWC input {@code x} (row pitch {@code wp} pixels of\n"
                + "{@code c} channels, {@code 2 th + 2} rows, {@code 2 tw + 2} columns at least) into HWC {@code y}\n"
                + "({@code oh x ow x f}): input transform into {@code v} ({@code [16][tiles][c]}), 16 GEMMs with the\n"
                + "transformed weights {@code u} ({@link #winoPack}) into {@code mm} ({@code [16][tiles][f]}), output\n"
                + "transform plus bias and {@code max(v, floor)}. Needs {@code c} and {@code f} multiples of {@code L}.")
                .addParameter(float[].class, "x").addParameter(int.class, "wp").addParameter(int.class, "th")
                .addParameter(int.class, "tw").addParameter(int.class, "c").addParameter(float[].class, "v")
                .addParameter(float[].class, "u").addParameter(float[].class, "mm").addParameter(float[].class, "b")
                .addParameter(float[].class, "y").addParameter(int.class, "oh").addParameter(int.class, "ow")
                .addParameter(int.class, "f").addParameter(float.class, "floor").addParameter(float[].class, "spill")
                .addCode(CodeBlock.builder()
                        .addStatement("int tiles = th * tw")
                        .addStatement("$L(x, wp, th, tw, c, v, 0, tiles * c)", TILES_IN)
                        .addStatement("$L(v, tiles * c, tiles, c, u, mm, tiles * f, f, spill)", GEMMS)
                        .addStatement("$L(mm, 0, tiles * f, b, y, th, tw, oh, ow, f, floor)", TILES_OUT)
                        .build())
                .build();
    }

    /**
     * The input transform of one image's tiles: tile {@code t} to {@code v[(4 i + j) * vs + (t0 + t) * c]}; a block of
     * images ({@code runBatch}) puts image {@code n}'s tiles at {@code t0 = n * tiles}, so one GEMM covers them all.
     * Per tile and channel vector, two loops of four steps: {@code B^T d} a column at a time (4 loads, 4 adds or
     * subtractions, 4 stores into {@code v}), then {@code (B^T d) B} a row at a time in place (the same). B^T rows:
     * (1, 0, -1, 0), (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, 0, -1). Few vector operations per loop body and none
     * live across an iteration: JDK 17's C2 stopped intrinsifying the last stores of a straight-line transform (a
     * whole tile in one method, past its inlining budget) and boxed those vectors on every call (docs/vector.md).
     */
    private static MethodSpec tilesIn() {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int row = wp * c")
                .beginControlFlow("for (int ty = 0; ty < th; ty++)")
                .beginControlFlow("for (int tx = 0; tx < tw; tx++)")
                .addStatement("int t = t0 + ty * tw + tx")
                .addStatement("int base = (2 * ty * wp + 2 * tx) * c")
                .beginControlFlow("for (int cv = 0; cv < c; cv += L)")
                .addStatement("int vo = t * c + cv")
                .add("// B^T d: column k of the tile's rows d0..d3 to v[vo + (4 i + k) * vs]\n")
                .beginControlFlow("for (int k = 0; k < 4; k++)")
                .addStatement("int xk = base + cv + k * c")
                .addStatement("int vk = vo + k * vs");
        combine(b, "d", "x", "xk", "row", "vk", 4);
        b.endControlFlow()
                .add("// (B^T d) B: row i, in place\n")
                .beginControlFlow("for (int i = 0; i < 4; i++)")
                .addStatement("int vi = vo + 4 * i * vs");
        combine(b, "e", "v", "vi", "vs", "vi", 1);
        b.endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return helper(TILES_IN, "The Winograd input transform {@code B^T d B} of every tile of the padded HWC input {@code x}\n"
                + "(row pitch {@code wp} pixels of {@code c} channels, {@code th x tw} tiles): tile {@code t}'s position\n"
                + "{@code xi} to {@code v[xi * vs + (t0 + t) * c]}; per tile and channel vector, {@code B^T d} a column at a\n"
                + "time into {@code v}, then {@code (B^T d) B} a row at a time in place.")
                .addParameter(float[].class, "x").addParameter(int.class, "wp").addParameter(int.class, "th")
                .addParameter(int.class, "tw").addParameter(int.class, "c").addParameter(float[].class, "v")
                .addParameter(int.class, "t0").addParameter(int.class, "vs")
                .addCode(b.build())
                .build();
    }

    /**
     * One step of {@code B^T}: the vectors {@code p0..p3} at {@code src[at + r * step]}, then {@code (p0 - p2, p1 + p2,
     * p2 - p1, p1 - p3)} to {@code v[to + i * mul * vs]} (all four read before any is written, so in place works).
     */
    private static void combine(CodeBlock.Builder b, String p, String src, String at, String step, String to, int mul) {
        for (int r = 0; r < 4; r++) {
            b.addStatement("$T $L$L = $T.fromArray(S, $L, $L$L)", FLOAT_VECTOR, p, r, FLOAT_VECTOR, src, at,
                    r == 0 ? "" : r == 1 ? " + " + step : " + " + r + " * " + step);
        }
        String[] ops = {"$L0.sub($L2)", "$L1.add($L2)", "$L2.sub($L1)", "$L1.sub($L3)"};
        for (int i = 0; i < 4; i++) {
            int k = i * mul;
            b.addStatement(ops[i].replace("$L", p) + ".intoArray(v, $L$L)", to,
                    k == 0 ? "" : k == 1 ? " + vs" : " + " + k + " * vs");
        }
    }

    /** The 16 GEMMs over {@code tiles} tiles (of one image, or of a block of images stored one after another). */
    private static MethodSpec gemms() {
        return helper(GEMMS, "The 16 Winograd GEMMs: for each position {@code xi}, {@code mm[xi * ms + t * f + o] = sum_s\n"
                + "v[xi * vs + t * c + s] * u[xi * c * f + ...]} over {@code tiles} tiles ({@link #winoGemm}).")
                .addParameter(float[].class, "v").addParameter(int.class, "vs").addParameter(int.class, "tiles")
                .addParameter(int.class, "c").addParameter(float[].class, "u").addParameter(float[].class, "mm")
                .addParameter(int.class, "ms").addParameter(int.class, "f").addParameter(float[].class, "spill")
                .addCode(CodeBlock.builder()
                        .beginControlFlow("for (int xi = 0; xi < 16; xi++)")
                        .addStatement("$L(v, xi * vs, tiles, c, u, xi * c * f, mm, xi * ms, f, spill)", GEMM)
                        .endControlFlow()
                        .build())
                .build();
    }

    /**
     * The output transform of one image's tiles, read from {@code mm[xi * ms + (t0 + t) * f]}. Per tile and filter
     * vector, as the input transform: {@code A^T M} a column at a time, in place of {@code M}'s first two rows (4
     * loads, 4 adds or subtractions, 2 stores), then per output row {@code (A^T M) A} plus the bias and
     * {@code max(v, floor)} into {@code y} (A^T rows: (1, 1, 1, 0), (0, 1, -1, -1)); rows and columns past the map's
     * edge are not stored. {@code mm} is the GEMMs' scratch, read once.
     */
    private static MethodSpec tilesOut() {
        CodeBlock.Builder b = CodeBlock.builder()
                .beginControlFlow("for (int ty = 0; ty < th; ty++)")
                .addStatement("int rows = Math.min(2, oh - 2 * ty)")
                .beginControlFlow("for (int tx = 0; tx < tw; tx++)")
                .addStatement("int t = t0 + ty * tw + tx")
                .addStatement("boolean two = ow - 2 * tx > 1")
                .addStatement("int yo = (2 * ty * ow + 2 * tx) * f")
                .beginControlFlow("for (int fv = 0; fv < f; fv += L)")
                .addStatement("int mo = t * f + fv")
                .add("// A^T M: column j's two sums in place of M[0][j] and M[1][j]\n")
                .beginControlFlow("for (int j = 0; j < 4; j++)")
                .addStatement("int mj = mo + j * ms");
        for (int i = 0; i < 4; i++) {
            b.addStatement("$T m$L = $T.fromArray(S, mm, mj$L)", FLOAT_VECTOR, i, FLOAT_VECTOR,
                    i == 0 ? "" : " + " + 4 * i + " * ms");
        }
        b.addStatement("m0.add(m1).add(m2).intoArray(mm, mj)")
                .addStatement("m1.sub(m2).sub(m3).intoArray(mm, mj + 4 * ms)")
                .endControlFlow()
                .add("// (A^T M) A, the bias, max(v, floor): output row i\n")
                .beginControlFlow("for (int i = 0; i < rows; i++)")
                .addStatement("int ti = mo + 4 * i * ms");
        for (int j = 0; j < 4; j++) {
            b.addStatement("$T s$L = $T.fromArray(S, mm, ti$L)", FLOAT_VECTOR, j, FLOAT_VECTOR,
                    j == 0 ? "" : j == 1 ? " + ms" : " + " + j + " * ms");
        }
        b.addStatement("$T bias = $T.fromArray(S, b, fv)", FLOAT_VECTOR, FLOAT_VECTOR)
                .addStatement("$T lo = $T.broadcast(S, floor)", FLOAT_VECTOR, FLOAT_VECTOR)
                .addStatement("int yi = yo + fv + i * ow * f")
                .addStatement("s0.add(s1).add(s2).add(bias).max(lo).intoArray(y, yi)")
                .beginControlFlow("if (two)")
                .addStatement("s1.sub(s2).sub(s3).add(bias).max(lo).intoArray(y, yi + f)")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return helper(TILES_OUT, "The Winograd output transform {@code A^T M A} of one image's {@code th x tw} tiles, tile\n"
                + "{@code t}'s position {@code xi} read from {@code mm[xi * ms + (t0 + t) * f]} (and overwritten), plus the bias\n"
                + "and {@code max(v, floor)}, into HWC {@code y} ({@code oh x ow x f}, tiles past the edge cropped); per tile and\n"
                + "filter vector, {@code A^T M} a column at a time in place, then {@code (A^T M) A} an output row at a time.")
                .addParameter(float[].class, "mm").addParameter(int.class, "t0").addParameter(int.class, "ms")
                .addParameter(float[].class, "b").addParameter(float[].class, "y").addParameter(int.class, "th")
                .addParameter(int.class, "tw").addParameter(int.class, "oh").addParameter(int.class, "ow")
                .addParameter(int.class, "f").addParameter(float.class, "floor")
                .addCode(b.build())
                .build();
    }

    /**
     * One GEMM {@code mm[mo + t * f + o] = sum_s v[vo + t * k + s] u[uo + (o / L) * k * L + s * L + o % L]} over the
     * tiles {@code t}, blocked as the direct convolution ({@code conv}) blocks pixels and filter vectors, from
     * zero: the kernel-row kernels on {@code ROW_KERNELS} JVMs, else its own kernels ({@link #kernel}: same sums, same bits).
     */
    private static MethodSpec gemm() {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int nv = f / L")
                .addStatement("int kl = k * L")
                .beginControlFlow("if (ROW_KERNELS)");
        blocks(b, true);
        b.nextControlFlow("else");
        blocks(b, false);
        b.endControlFlow();
        return helper(GEMM, "One Winograd GEMM: {@code mm[mo + t * f + o] = sum_s v[vo + t * k + s] * u[uo + (o / L) * k * L +\n"
                + "s * L + o % L]} for the {@code tiles} tiles {@code t} and {@code f} filters {@code o} (a multiple of\n"
                + "{@code L}), blocked as {@code conv} blocks pixels and filter vectors, every sum from zero in step order:\n"
                + "the kernel-row kernels where {@code ROW_KERNELS}, else {@code winoK...} (the same bits).")
                .addParameter(float[].class, "v").addParameter(int.class, "vo").addParameter(int.class, "tiles")
                .addParameter(int.class, "k").addParameter(float[].class, "u").addParameter(int.class, "uo")
                .addParameter(float[].class, "mm").addParameter(int.class, "mo").addParameter(int.class, "f")
                .addParameter(float[].class, "spill").addCode(b.build()).build();
    }

    private static void blocks(CodeBlock.Builder b, boolean rows) {
        b.addStatement("int g = 0")
                .beginControlFlow("if (L >= $L)", SimdKernels.WIDE_LANES)
                .beginControlFlow("for (; g + $L <= nv; g += $L)", MAX_VECTORS, MAX_VECTORS);
        tileLoops(b, MAX_VECTORS, rows);
        b.endControlFlow()
                .nextControlFlow("else")
                .beginControlFlow("for (; g + $L <= nv; g += $L)", SimdKernels.NARROW_VECTORS, SimdKernels.NARROW_VECTORS);
        tileLoops(b, SimdKernels.NARROW_VECTORS, rows);
        b.endControlFlow().endControlFlow();
        for (int n = MAX_VECTORS - 1; n >= 1; n--) {
            if (n == MAX_VECTORS - 1) {
                b.beginControlFlow("if (nv - g == $L)", n);
            } else {
                b.nextControlFlow("else if (nv - g == $L)", n);
            }
            tileLoops(b, n, rows);
        }
        b.endControlFlow();
    }

    private static void tileLoops(CodeBlock.Builder b, int vectors, boolean rows) {
        b.addStatement("int wo = uo + g * kl")
                .addStatement("int t = 0");
        for (int pixels : PIXEL_BLOCKS[vectors - 1]) {
            StringBuilder xs = new StringBuilder("x0");
            for (int q = 1; q < pixels; q++) {
                xs.append(", x0 + ").append(q == 1 ? "k" : q + " * k");
            }
            b.beginControlFlow("for (; t + $L <= tiles; t += $L)", pixels, pixels)
                    .addStatement("int x0 = vo + t * k");
            if (rows) {
                b.addStatement("$L(v, $L, k, u, wo, kl, WG_ZERO, 0, 0, mm, mo + t * f + g * L, f, ALL, "
                        + "Float.NEGATIVE_INFINITY, spill)", SimdKernels.rowKernelName(vectors, pixels), xs);
            } else {
                b.addStatement("$L(v, $L, k, u, wo, kl, mm, mo + t * f + g * L, f)", kernelName(vectors, pixels), xs);
            }
            b.endControlFlow();
        }
    }

    static String kernelName(int vectors, int tiles) {
        return KERNEL + vectors + "x" + tiles;
    }

    /**
     * The GEMM micro-kernel of {@link #gemm} on JVMs without {@code ROW_KERNELS} (JDK 17): {@code vectors} filter
     * vectors x {@code tiles} tiles, the GEMM kernels' loop ({@link SimdKernels#step}, the weight index a second
     * induction variable) without their epilogue: every sum from zero in step order, stored whole (the filters are
     * whole vectors), so the bits are those of the GEMM kernels from {@code WG_ZERO} with a {@code -inf} floor. A
     * method of the Winograd path's own, not shared with the direct convolution: JDK 17's C2 boxed the vectors of the
     * shared GEMM kernels once both paths called them (docs/vector.md).
     */
    private static MethodSpec kernel(int vectors, int tiles) {
        MethodSpec.Builder m = helper(kernelName(vectors, tiles), vectors + " filter vector(s) x " + tiles
                + " tile(s) of a Winograd GEMM: at step {@code s < k} tile {@code q} reads {@code x[xq + s]}, filter vector\n"
                + "{@code j} the weights {@code w[wo + j * wv + s * L]}; each sum starts at zero and runs in step order;\n"
                + "tile {@code q}'s vector {@code j} is stored at {@code mm[mo + q * f + j * L]}.");
        SimdMicroKernels.inputs(m, tiles);
        m.addParameter(int.class, "k").addParameter(float[].class, "w").addParameter(int.class, "wo")
                .addParameter(int.class, "wv").addParameter(float[].class, "mm").addParameter(int.class, "mo")
                .addParameter(int.class, "f");
        CodeBlock.Builder b = CodeBlock.builder();
        for (int j = 0; j < vectors; j++) {
            for (int q = 0; q < tiles; q++) {
                b.addStatement("$T a$L$L = $T.zero(S)", FLOAT_VECTOR, j, q, FLOAT_VECTOR);
            }
        }
        b.addStatement("int wi = wo").beginControlFlow("for (int s = 0; s < k; s++)");
        SimdMicroKernels.step(b, vectors, tiles, j -> j == 0 ? "wi" : j == 1 ? "wi + wv" : "wi + " + j + " * wv", "x$L + s");
        b.addStatement("wi += L").endControlFlow();
        for (int q = 0; q < tiles; q++) {
            for (int j = 0; j < vectors; j++) {
                b.addStatement("a$L$L.intoArray(mm, mo$L$L)", j, q, q == 0 ? "" : q == 1 ? " + f" : " + " + q + " * f",
                        j == 0 ? "" : j == 1 ? " + L" : " + " + j + " * L");
            }
        }
        return m.addCode(b.build()).build();
    }

    /**
     * The transformed weights {@code U = G g G^T} (G rows (1, 0, 0), (1/2, 1/2, 1/2), (1/2, -1/2, 1/2), (0, 0, 1)),
     * summed in double in a fixed order and rounded once, stored {@code [xi][o / L][ci][o % L]} for the GEMMs.
     */
    private static MethodSpec pack() {
        return helper(PACK, "The Winograd weights of {@code f} 3x3 filters over {@code c} channels (filter {@code o}'s\n"
                + "weight {@code (ci, ky, kx)} at {@code w[off + o * fs + (ci * 9 + ky * 3 + kx) * ks]}): {@code G g G^T} in\n"
                + "double, rounded once, at {@code [xi][o / L][ci][o % L]} ({@code xi = 4 i + j}).")
                .returns(float[].class)
                .addParameter(float[].class, "w").addParameter(int.class, "off").addParameter(int.class, "f")
                .addParameter(int.class, "c").addParameter(int.class, "fs").addParameter(int.class, "ks")
                .addCode(CodeBlock.builder()
                        .addStatement("double[][] gm = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}")
                        .addStatement("float[] u = new float[16 * c * f]")
                        .addStatement("int kl = c * L")
                        .beginControlFlow("for (int o = 0; o < f; o++)")
                        .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                        .addStatement("int at = off + o * fs + ci * 9 * ks")
                        .beginControlFlow("for (int i = 0; i < 4; i++)")
                        .beginControlFlow("for (int j = 0; j < 4; j++)")
                        .addStatement("double s = 0")
                        .beginControlFlow("for (int p = 0; p < 3; p++)")
                        .beginControlFlow("for (int q = 0; q < 3; q++)")
                        .addStatement("s += gm[i][p] * w[at + (p * 3 + q) * ks] * gm[j][q]")
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("u[(i * 4 + j) * c * f + o / L * kl + ci * L + o % L] = (float) s")
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .endControlFlow()
                        .addStatement("return u")
                        .build())
                .build();
    }
}
