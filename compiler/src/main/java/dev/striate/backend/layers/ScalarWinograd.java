package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Op;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Winograd F(2x2,3x3) in the scalar class: the 3x3 convolutions with many channels ({@link #eligible}) as
 * 16 matrix products over 2x2 output tiles instead of 9 taps per output pixel, 2.25x fewer multiplies
 * (36 per 2x2 tile and channel pair against 16, plus the transforms). The math is the vector class's
 * ({@link SimdWinograd}, docs/vector.md "Winograd F(2x2,3x3)"); the loops are written for C2's
 * auto-vectorizer as {@link ConvRows} found it works on JDK 17 and 25 (no Vector API).
 *
 * <p>The layer method calls three helpers the class holds once ({@link #addTo}), with the layer's shapes as
 * arguments: {@code winogradIn} zero-pads the input to whole tiles plus 2 in scratch row 1
 * ({@code C x PH x PW}, every call) and transforms each tile's 4x4 patch {@code d} and input channel to
 * {@code V = B^T d B} in row 0 at {@code [xi][tile][c]} (scalar loops); {@code winogradProduct} runs, per
 * transformed position {@code xi}, the product {@code M[xi][tile][f] = sum_c V[xi][tile][c] U[xi][c][f]} in the
 * form of {@link ConvRows}' blocked product turned over: one scratch row of F sums per (xi, tile), from zero,
 * one array per weight row {@code U[xi][c]}, the loop over the output channels, four tiles per pass and four
 * input channels ({@code o1[f] = fma(a13, u3, fma(a12, u2, fma(a11, u1, fma(a10, u0, o1[f]))))}, 16 fused
 * multiply-adds per step: vectorized by JDK 25's C2) or two ({@link FourRowPasses} false: JDK 17 vectorizes 4 x 2
 * but not 4 x 4), the tiles left over one at a time with four channels (vectorized by both), in blocks of
 * channel rows that fit in L1 (about {@link ConvRows#INNER_BLOCK_FLOATS} floats); every sum runs over the
 * channels in order, so the bits are the same on every JDK; {@code winogradOut} writes {@code A^T M A} plus the
 * bias per tile into the output planes (the tiles' rows and columns past the edge dropped). The activation
 * follows; with a fused pool ({@link ConvPoolEmitter}) the output goes to row 1 and each channel's plane is
 * pooled from row 0 ({@link PlanePool}). Shared helpers rather than the loops in each layer method: with
 * them written out per layer (2.3-2.5 KB of bytecode per layer), C2 on JDK 17 compiled the Fashion CNN's four
 * layer methods 13-21 s into a run on the loaded machine (the direct forms' at 7-9 s), and a short A/B measured
 * mostly their C1 code.
 *
 * <p>The weights keep their blob layout ({@link ConvRows#weightLayout}: the vector class packs its own
 * from it); {@code U = G g G^T} is computed from the blob in double and rounded once, on the first call
 * with a weights array, by the class's {@code winogradWeights} ({@link #addTo}), which keeps it per
 * weights array (weak keys) and layer: 16/9 of the layer's weights, shared by every instance on that array.
 * It is not refreshed when the array's contents change, so only the inference class (which never
 * writes its weights) may emit these layers: the trainer's class code ({@code ClassLayers}) does not
 * add the helper, and a layer routed there would fail to compile rather than read stale weights.
 *
 * <p>Not bit-identical to the direct forms (other sums), within the same tolerance (docs/vector.md has
 * the accuracy measurements of F(2x2) against F(3x3) and F(4x4); only F(2x2) fits the fixtures).
 */
public final class ScalarWinograd {
    /**
     * Input and output channels a layer needs (both): narrower products stay direct. At 32 the MNIST CNN's
     * 32 -> 64 layer (36 tiles) took Winograd and its class measured no faster (new/old 1.00 on JDK 17, 1.07 on
     * JDK 25); the Fashion CNN's 64 -> 128 layer alone ran 0.6x the direct form's time on JDK 17.
     */
    static final int MIN_CHANNELS = 64;

    /** 2x2 output tiles a layer needs ({@code ceil(H/2) * ceil(W/2)}): the Fashion CNN's 7x7 maps have 16. */
    static final int MIN_TILES = 16;

    /** At most this many floats in a scratch row ({@code 16 x tiles x channels}): larger maps stay direct. */
    static final int MAX_ROW_FLOATS = 1 << 20;

    /** Name of the class's helper that returns a layer's transformed weights. */
    static final String WEIGHTS = "winogradWeights";

    private ScalarWinograd() {
    }

    /**
     * True for a conv2d this class runs as Winograd F(2x2,3x3): 3x3, stride 1, dilation 1, one group,
     * padding 0 or 1 on the top and left (any on the bottom and right), at least {@link #MIN_CHANNELS}
     * input and output channels, input channels a multiple of 4, at least {@link #MIN_TILES} tiles and
     * scratch rows within {@link #MAX_ROW_FLOATS}.
     */
    static boolean eligible(ConvGeometry c) {
        if (c.transposed() || c.groups() != 1 || c.kh() != 3 || c.kw() != 3 || c.sh() != 1 || c.sw() != 1
                || c.dh() != 1 || c.dw() != 1 || c.padTop() < 0 || c.padTop() > 1 || c.padLeft() < 0
                || c.padLeft() > 1) {
            return false;
        }
        if (c.inC() < MIN_CHANNELS || c.outC() < MIN_CHANNELS || c.inC() % 4 != 0) {
            return false;
        }
        long tiles = (long) tilesH(c) * tilesW(c);
        long v = 16 * tiles * Math.max(c.inC(), c.outC());
        long pad = (long) c.inC() * padH(c) * padW(c);
        return tiles >= MIN_TILES && v <= MAX_ROW_FLOATS && pad <= MAX_ROW_FLOATS
                && (long) c.outC() * c.outH() * c.outW() <= MAX_ROW_FLOATS;
    }

    private static int tilesH(ConvGeometry c) {
        return (c.outH() + 1) / 2;
    }

    private static int tilesW(ConvGeometry c) {
        return (c.outW() + 1) / 2;
    }

    private static int padH(ConvGeometry c) {
        return 2 * tilesH(c) + 2;
    }

    private static int padW(ConvGeometry c) {
        return 2 * tilesW(c) + 2;
    }

    /**
     * The floats of transformed weights ({@code U}, 16 per input x output channel pair) the scalar class
     * makes on its first call for {@code op} when it runs as Winograd, else 0: a conv2d, or the conv of a
     * conv fused with its pool, that {@link #eligible} takes. Counted by {@code striate summary}.
     */
    public static long transformedFloats(Op op, Shape in, Shape out) {
        ConvGeometry g;
        if (op instanceof Conv2d conv) {
            g = ConvGeometry.of(conv, in, out);
        } else if (op instanceof ConvPool fused) {
            g = ConvGeometry.of(fused.conv(), in, fused.convShape(in));
        } else {
            return 0;
        }
        return eligible(g) ? 16L * g.inC() * g.outC() : 0;
    }

    /**
     * Requests the scratch rows: row 0 (the transformed input, later a channel's plane to pool), row 1
     * (the padded input, later the conv's output when pooled), then one row of F sums per (xi, tile),
     * named after the layer ({@code CONV2D_1_TILE_ROW}).
     */
    static ConvLoops.Layer request(LayerContext ctx, ConvLoops.Layer g, boolean pooled) {
        ConvGeometry c = g.conv();
        int tiles = tilesH(c) * tilesW(c);
        int big = Math.max(16 * tiles * c.inC(), c.inC() * padH(c) * padW(c));
        if (pooled) {
            big = Math.max(big, c.outC() * c.outH() * c.outW());
        }
        ScratchRows rows = ctx.rows();
        rows.request(2, big);
        rows.request(2 + 16 * tiles, c.outC());
        return g.withRows(rows.name(ctx, "tile_row", 2), null);
    }

    /** Channel rows per block of the product: a multiple of 4, about {@link ConvRows#INNER_BLOCK_FLOATS} floats. */
    private static int block(ConvGeometry c) {
        int b = Math.max(4, ConvRows.INNER_BLOCK_FLOATS / c.outC() / 4 * 4);
        return Math.min(b, c.inC());
    }

    /**
     * The layer method's body: calls of the class's shared helpers ({@link #addTo}) with the layer's shapes, then
     * the activation; with {@code pool}, each channel's activated plane is pooled into {@code out}.
     */
    static CodeBlock body(ConvLoops.Layer g, boolean transposedWeights, PlanePool pool) {
        ConvGeometry c = g.conv();
        int tiles = tilesH(c) * tilesW(c);
        int f = c.outC();
        int k = c.inC();
        // element (f, c, tap) of the blob: PyTorch's [F][C][3][3], or [C x 9 rows][F] when transposed
        int fs = transposedWeights ? 1 : k * 9;
        int cs = transposedWeights ? 9 * f : 9;
        int ks = transposedWeights ? f : 1;
        int plane = c.outH() * c.outW();
        String y = pool == null ? "out" : "y";
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("// Winograd F(2x2,3x3): $L tiles of 2x2, $L -> $L channels\n", tiles, k, f)
                .addStatement("float[] tv = $L", ScratchRows.at(ScratchRows.ACC, 0, null))
                .addStatement("float[] pad = $L", ScratchRows.at(ScratchRows.ACC, 1, null))
                .addStatement("winogradIn(in, pad, tv, $L, $L, $L, $L, $L, $L, $L)", k, c.inH(), c.inW(), tilesH(c),
                        tilesW(c), c.padTop(), c.padLeft())
                .addStatement("float[][] u = $L(w, $S, $L, $L, $L, $L, $L, $L)", WEIGHTS, g.weightsAt(), g.weightsAt(),
                        k, f, fs, cs, ks)
                .addStatement("winogradProduct(rows, $L, u, tv, $L, $L, $L, $L, $L)", g.unfoldedRow(), k, f, tiles,
                        block(c), FourRowPasses.NAME);
        if (pool != null) {
            b.addStatement("float[] y = pad");
        }
        b.addStatement("winogradOut(rows, $L, w, $L, $L, $L, $L, $L, $L, $L)", g.unfoldedRow(),
                g.biasAt() != null ? g.biasAt() : "-1", y, f, tilesH(c), tilesW(c), c.outH(), c.outW());
        ActivationCode.applyInPlace(b, g.activation(), y, "0", f * plane);
        if (pool != null) {
            b.beginControlFlow("for (int f = 0; f < $L; f++)", f)
                    .addStatement("System.arraycopy(y, f * $L, tv, 0, $L)", plane, plane);
            pool.emit(b, "tv", "f");
            b.endControlFlow();
        }
        return b.build();
    }

    /**
     * {@code winogradIn}: the input zero-padded to whole tiles plus 2 in {@code pad} ({@code C x PH x PW}), then
     * {@code V[xi][t][c] = (B^T d B)[xi]} of each tile's 4x4 patch {@code d} into {@code tv} (scalar loops).
     */
    private static MethodSpec inMethod() {
        MethodSpec.Builder m = helper("winogradIn", "The padded input and its transformed tiles V[xi][tile][c] = B^T d B.")
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "pad")
                .addParameter(float[].class, "tv");
        ints(m, "c", "h", "w", "th", "tw", "top", "left");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int pw = 2 * tw + 2")
                .addStatement("int pp = (2 * th + 2) * pw")
                .addStatement("int stride = th * tw * c")
                .addStatement("java.util.Arrays.fill(pad, 0, c * pp, 0f)")
                .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                .beginControlFlow("for (int y = 0; y < h; y++)")
                .addStatement("System.arraycopy(in, (ci * h + y) * w, pad, ci * pp + (y + top) * pw + left, w)")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int ty = 0; ty < th; ty++)")
                .beginControlFlow("for (int tx = 0; tx < tw; tx++)")
                .addStatement("int s = ty * 2 * pw + tx * 2")
                .addStatement("int o = (ty * tw + tx) * c")
                .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                .addStatement("int q0 = ci * pp + s")
                .addStatement("int q1 = q0 + pw")
                .addStatement("int q2 = q1 + pw")
                .addStatement("int q3 = q2 + pw");
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 4; i++) {
                b.addStatement("float d$L$L = pad[$L]", i, j, Lit.plus("q" + i, j));
            }
            b.addStatement("float a0$L = d0$L - d2$L", j, j, j)
                    .addStatement("float a1$L = d1$L + d2$L", j, j, j)
                    .addStatement("float a2$L = d2$L - d1$L", j, j, j)
                    .addStatement("float a3$L = d1$L - d3$L", j, j, j);
        }
        b.addStatement("int e = o + ci");
        for (int i = 0; i < 4; i++) {
            String[] v = {"a$L0 - a$L2", "a$L1 + a$L2", "a$L2 - a$L1", "a$L1 - a$L3"};
            for (int j = 0; j < 4; j++) {
                if (i + j > 0) {
                    b.addStatement("e += stride");
                }
                b.addStatement("tv[e] = " + v[j], i, i);
            }
        }
        b.endControlFlow().endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    /**
     * {@code winogradProduct}: the 16 products {@code M[xi][t][f] = sum_c V[xi][t][c] U[xi][c][f]} into the rows
     * from {@code m} ({@code rows[m + xi * tiles + t]}), from zero; blocks of {@code block} channel rows, four tiles
     * a pass (four channels a pass with {@code four}, two without), the tiles left over one at a time.
     */
    private static MethodSpec productMethod() {
        MethodSpec.Builder m = helper("winogradProduct", "The 16 products over the channels: M[xi][tile][f] = sum_c"
                + " V[xi][tile][c] * U[xi][c][f], each sum in channel order\n(so two and four channels a pass give"
                + " the same bits).")
                .addParameter(float[][].class, "sums")
                .addParameter(int.class, "m")
                .addParameter(float[][].class, "u")
                .addParameter(float[].class, "tv");
        ints(m, "c", "f", "tiles", "block");
        m.addParameter(boolean.class, "four");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int quads = tiles / 4 * 4")
                .beginControlFlow("for (int xi = 0; xi < 16; xi++)")
                .addStatement("int m0 = m + xi * tiles")
                .addStatement("int ub = xi * c")
                .addStatement("int vb = xi * tiles * c")
                .beginControlFlow("for (int t = 0; t < tiles; t++)")
                .addStatement("java.util.Arrays.fill(sums[m0 + t], 0, f, 0f)")
                .endControlFlow()
                .beginControlFlow("for (int c0 = 0; c0 < c; c0 += block)")
                .addStatement("int cn = Math.min(block, c - c0)")
                .beginControlFlow("for (int t = 0; t < quads; t += 4)")
                .beginControlFlow("if (four)");
        tilePass(b, 4, 4);
        b.nextControlFlow("else");
        tilePass(b, 4, 2);
        b.endControlFlow().endControlFlow()
                .beginControlFlow("for (int t = quads; t < tiles; t++)");
        tilePass(b, 1, 4);
        b.endControlFlow().endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    /** One block of channel rows for {@code count} tiles from {@code t}, {@code step} channels per pass. */
    private static void tilePass(CodeBlock.Builder b, int count, int step) {
        for (int q = 0; q < count; q++) {
            b.addStatement("float[] $L = sums[m0 + t$L]", out(q), q == 0 ? "" : " + " + q);
        }
        b.addStatement("int va = vb + t * c + c0")
                .beginControlFlow("for (int r = 0; r < cn; r += $L)", step);
        for (int i = 0; i < step; i++) {
            b.addStatement("float[] w$L = u[$L]", i, Lit.plus("ub + c0 + r", i));
        }
        for (int q = 0; q < count; q++) {
            b.addStatement("int v$L = va + r$L", q, q == 0 ? "" : " + " + q + " * c");
            for (int i = 0; i < step; i++) {
                b.addStatement("float a$L$L = tv[$L]", q, i, Lit.plus("v" + q, i));
            }
        }
        b.beginControlFlow("for (int f0 = 0; f0 < f; f0++)");
        for (int i = 0; i < step; i++) {
            b.addStatement("float u$L = w$L[f0]", i, i);
        }
        for (int q = 0; q < count; q++) {
            String sum = out(q) + "[f0]";
            for (int i = 0; i < step; i++) {
                sum = "Math.fma(a" + q + i + ", u" + i + ", " + sum + ")";
            }
            b.addStatement("$L[f0] = $L", out(q), sum);
        }
        b.endControlFlow().endControlFlow();
    }

    private static String out(int q) {
        return q == 0 ? "o" : "o" + q;
    }

    /**
     * {@code winogradOut}: {@code Y = A^T M A} plus the bias ({@code blob[bias + f]}, none when {@code bias < 0}) per
     * tile and output channel into the planes of {@code y}, the tiles' rows and columns past the edge dropped.
     */
    private static MethodSpec outMethod() {
        MethodSpec.Builder m = helper("winogradOut", "Y = A^T M A + bias per tile and output channel, the parts past"
                + " the edge dropped.")
                .addParameter(float[][].class, "sums")
                .addParameter(int.class, "m")
                .addParameter(float[].class, "blob")
                .addParameter(int.class, "bias")
                .addParameter(float[].class, "y");
        ints(m, "f", "th", "tw", "oh", "ow");
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("int tiles = th * tw")
                .addStatement("int plane = oh * ow")
                .beginControlFlow("for (int ty = 0; ty < th; ty++)")
                .beginControlFlow("for (int tx = 0; tx < tw; tx++)")
                .addStatement("int t = ty * tw + tx")
                .addStatement("int o = ty * 2 * ow + tx * 2")
                .addStatement("boolean down = 2 * ty + 1 < oh")
                .addStatement("boolean right = 2 * tx + 1 < ow");
        for (int xi = 0; xi < 16; xi++) {
            b.addStatement("float[] m$L = sums[m + $L]", xi, xi == 0 ? "t" : xi + " * tiles + t");
        }
        b.beginControlFlow("for (int f0 = 0; f0 < f; f0++)")
                .addStatement("float b = bias < 0 ? 0f : blob[bias + f0]");
        for (int j = 0; j < 4; j++) {
            b.addStatement("float s0$L = m$L[f0] + m$L[f0] + m$L[f0]", j, j, 4 + j, 8 + j)
                    .addStatement("float s1$L = m$L[f0] - m$L[f0] - m$L[f0]", j, 4 + j, 8 + j, 12 + j);
        }
        b.addStatement("int p = f0 * plane + o")
                .addStatement("y[p] = s00 + s01 + s02 + b")
                .beginControlFlow("if (right)")
                .addStatement("y[p + 1] = s01 - s02 - s03 + b")
                .endControlFlow()
                .beginControlFlow("if (down)")
                .addStatement("y[p + ow] = s10 + s11 + s12 + b")
                .beginControlFlow("if (right)")
                .addStatement("y[p + ow + 1] = s11 - s12 - s13 + b")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow().endControlFlow().endControlFlow();
        return m.addCode(b.build()).build();
    }

    private static MethodSpec.Builder helper(String name, String doc) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC).addJavadoc("$L\n", doc);
    }

    private static void ints(MethodSpec.Builder m, String... names) {
        for (String n : names) {
            m.addParameter(int.class, n);
        }
    }

    /** The parameters locating a layer's weights in the blob: offset, channels in and out, strides of (f, c, tap). */
    private static List<ParameterSpec> layout() {
        List<ParameterSpec> p = new ArrayList<>();
        for (String name : new String[] {"at", "c", "f", "fs", "cs", "ks"}) {
            p.add(ParameterSpec.builder(int.class, name).build());
        }
        return p;
    }

    /** True if one of {@code methods} calls {@link #WEIGHTS}. */
    public static boolean neededBy(List<MethodSpec> methods) {
        for (MethodSpec m : methods) {
            if (m.code().toString().contains(WEIGHTS + "(")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the helpers of the Winograd layers to the class: the cache of transformed weights (per weights
     * array, weak keys, and per layer), {@link #WEIGHTS} and the transform {@code winogradTransform}.
     */
    public static void addTo(TypeSpec.Builder type) {
        TypeName byLayer = ParameterizedTypeName.get(Map.class, String.class, float[][].class);
        TypeName cache = ParameterizedTypeName.get(ClassName.get(Map.class), TypeName.get(float[].class), byLayer);
        type.addField(FieldSpec.builder(cache, "WINOGRAD_WEIGHTS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The Winograd layers' transformed weights per weights array (weak keys: kept while the array\n"
                        + "is) and layer; computed on first use, never refreshed (the class never writes its weights).\n")
                .initializer("new $T<>()", java.util.WeakHashMap.class)
                .build());
        type.addMethod(MethodSpec.methodBuilder(WEIGHTS)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("The Winograd weights {@code U[xi * c + ci][fi]} of layer {@code layer} (weights at {@code at}, element\n"
                        + "{@code (fi, ci, tap)} at {@code at + fi * fs + ci * cs + tap * ks}), made once per weights array.\n")
                .returns(float[][].class)
                .addParameter(float[].class, "w")
                .addParameter(String.class, "layer")
                .addParameters(layout())
                .beginControlFlow("synchronized (WINOGRAD_WEIGHTS)")
                .addStatement("$T layers = WINOGRAD_WEIGHTS.get(w)", byLayer)
                .beginControlFlow("if (layers == null)")
                .addStatement("layers = new $T<>()", java.util.HashMap.class)
                .addStatement("WINOGRAD_WEIGHTS.put(w, layers)")
                .endControlFlow()
                .addStatement("float[][] u = layers.get(layer)")
                .beginControlFlow("if (u == null)")
                .addStatement("u = winogradTransform(w, at, c, f, fs, cs, ks)")
                .addStatement("layers.put(layer, u)")
                .endControlFlow()
                .addStatement("return u")
                .endControlFlow()
                .build());
        type.addMethod(inMethod());
        type.addMethod(productMethod());
        type.addMethod(outMethod());
        type.addMethod(MethodSpec.methodBuilder("winogradTransform")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code U = G g G^T} of every (input, output) channel pair, in double, rounded once.\n")
                .returns(float[][].class)
                .addParameter(float[].class, "blob")
                .addParameters(layout())
                .addStatement("float[][] u = new float[16 * c][f]")
                .addStatement("double[] h = new double[12]")
                .beginControlFlow("for (int ci = 0; ci < c; ci++)")
                .beginControlFlow("for (int fi = 0; fi < f; fi++)")
                .addStatement("int base = at + fi * fs + ci * cs")
                .beginControlFlow("for (int j = 0; j < 3; j++)")
                .addStatement("double g0 = blob[base + j * ks]")
                .addStatement("double g1 = blob[base + (3 + j) * ks]")
                .addStatement("double g2 = blob[base + (6 + j) * ks]")
                .addStatement("h[j] = g0")
                .addStatement("h[3 + j] = 0.5 * (g0 + g1 + g2)")
                .addStatement("h[6 + j] = 0.5 * (g0 - g1 + g2)")
                .addStatement("h[9 + j] = g2")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < 4; i++)")
                .addStatement("double h0 = h[3 * i]")
                .addStatement("double h1 = h[3 * i + 1]")
                .addStatement("double h2 = h[3 * i + 2]")
                .addStatement("u[(4 * i) * c + ci][fi] = (float) h0")
                .addStatement("u[(4 * i + 1) * c + ci][fi] = (float) (0.5 * (h0 + h1 + h2))")
                .addStatement("u[(4 * i + 2) * c + ci][fi] = (float) (0.5 * (h0 - h1 + h2))")
                .addStatement("u[(4 * i + 3) * c + ci][fi] = (float) h2")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addStatement("return u")
                .build());
    }
}
