package dev.striate.backend.layers;

import static dev.striate.backend.layers.VectorEmitters.MAX_LANES;
import static dev.striate.backend.layers.VectorEmitters.epilogue;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.striate.backend.layers.SimdClass.Layout;
import dev.striate.backend.layers.SimdClass.ScalarLayer;
import dev.striate.backend.layers.SimdClass.Val;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Node;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;

/**
 * The vector code of one conv2d node (alone or fused with its pool) for {@link VectorEmitters}: picks the kernel
 * from the shapes (direct, GEMM, one kernel row at a time, Winograd, depthwise, or a CHW kernel with pixels in
 * lanes) and emits its weight packing, its input copy and its layer method.
 */
final class VectorConvEmitter {
    /**
     * The fewest output pixels (a plane for a 1x1 conv, a row for a depthwise one) for which a convolution
     * of a CHW input runs the CHW kernels of {@link SimdChw} (pixels in lanes) rather than transposing
     * its input: a vector of pixels needs at least one vector's worth (16 floats with AVX-512).
     */
    private static final int CHW_MIN_PIXELS = 16;
    /**
     * The shortest kernel row (kw x input channels steps) run through the GEMM kernels one row at a time
     * ({@code convRows}); shorter rows (first layers with 1-3 channels) keep the offset-table kernels, which
     * need no store and reload of the sums between rows.
     */
    private static final int ROW_MIN_RUN = 32;

    private final VectorEmitters e;
    private final SimdClass c;
    private final Node node;
    private final ScalarLayer scalar;

    VectorConvEmitter(VectorEmitters e, SimdClass c, Node node, ScalarLayer scalar) {
        this.e = e;
        this.c = c;
        this.node = node;
        this.scalar = scalar;
    }

    /**
     * conv2d (groups 1, or depthwise with multiplier 1) with bias and activation, optionally followed by {@code pool}: the input is
     * copied into a zero-padded HWC scratch when it has padding or is not HWC already, so the kernel
     * has no bounds tests.
     */
    Void conv(Conv2d op, Pool2d pool) {
        Shape in = c.graph.inputShapes(node).get(0);
        Shape mid = pool == null ? node.shape() : ((ConvPool) node.op()).convShape(in);
        Shape out = node.shape();
        ConvGeometry g = ConvGeometry.of(op, in, mid);
        String m = scalar.method();
        int f = g.outC();
        int ch = g.inC();
        boolean dw = op.groups() > 1;
        // one kernel row without column dilation: each window is one contiguous run of the (padded) HWC input, read
        // by the GEMM kernels with indices linear in the step (no per-step offset table, bounds checked once)
        boolean gemm = !dw && g.kh() == 1 && (g.dw() == 1 || g.kw() == 1);
        // several kernel rows, each one contiguous run of kw x c steps (no column dilation), long enough that
        // storing and reloading the sums between rows is cheap: the GEMM kernels once per kernel row
        boolean rows = !dw && !gemm && (g.dw() == 1 || g.kw() == 1) && g.kw() * ch >= ROW_MIN_RUN;
        int k = ch / op.groups() * g.kh() * g.kw();
        e.checkBlob((long) f * k + (op.bias() ? f : 0));
        Val x = e.input(0);
        int hp = Math.max(g.inH() + g.padTop(), (g.outH() - 1) * g.sh() + (g.kh() - 1) * g.dh() + 1);
        int wp = Math.max(g.inW() + g.padLeft(), (g.outW() - 1) * g.sw() + (g.kw() - 1) * g.dw() + 1);
        if (pool == null && x.layout() == Layout.CHW && ch > 1 && g.sh() == 1 && g.sw() == 1) {
            if (dw && g.outW() >= CHW_MIN_PIXELS) {
                return depthwiseChw(op, g, hp, wp);
            }
            if (!dw && g.kh() == 1 && g.kw() == 1 && hp == g.inH() && wp == g.inW() && g.padTop() == 0
                    && g.padLeft() == 0 && mid.plane() >= CHW_MIN_PIXELS) {
                return pointwiseChw(op, g);
            }
        }
        if (chwConv(op, pool, g, x, hp, wp, mid, out)) {
            return null;
        }
        // Winograd F(2x2,3x3) where chosen (SimdWinograd): its padded input covers whole tiles; the direct path reads
        // the same copy
        // (only the rows and columns a pool reads, fused or the sole reader of this conv: the others stay unwritten)
        Node reader = pool == null ? SimdPools.soleReader(c.graph, node) : null;
        Pool2d crop = reader != null ? (Pool2d) reader.op() : pool;
        Shape cropOut = reader != null ? reader.shape() : out;
        boolean poolCrop = crop != null && SimdPools.inside(crop, mid, cropOut);
        int needH = poolCrop ? (cropOut.height() - 1) * crop.strideH() + crop.kernelH() : g.outH();
        int needW = poolCrop ? (cropOut.width() - 1) * crop.strideW() + crop.kernelW() : g.outW();
        boolean wino = !dw && SimdWinograd.eligible(op, g, needH, needW);
        if (wino) {
            hp = Math.max(hp, SimdWinograd.span(needH));
            wp = Math.max(wp, SimdWinograd.span(needW));
        }
        if (dw) {
            // one filter per channel: the scalar blob holds [channel][ky][kx] in either of its layouts
            c.kernels.use("packDepthwise");
            c.packedField(TypeName.get(float[].class), "w_" + m, CodeBlock.of("packDepthwise(weights, $L, $L, $L)",
                    scalar.blobStart(), f, k));
        } else {
            boolean channelMajor = ConvRows.transposedWeights(new ConvLoops.Layer(g, 0, -1, op.activation()));
            if (wino) {
                SimdWinograd.pack(c, m, scalar.blobStart(), f, ch, channelMajor ? 1 : k, channelMajor ? f : 1);
            }
            c.kernels.use("packConv");
            c.packedField(TypeName.get(float[].class), "w_" + m, CodeBlock.of("$LpackConv(weights, $L, $L, $L, $L, $L, $L, $L)",
                    wino ? "u_" + m + " != null ? null : " : "", scalar.blobStart(), f, ch, g.kh(), g.kw(),
                    channelMajor ? 1 : k, channelMajor ? f : 1));
        }
        e.packBiasAndTail(m, op.bias() ? scalar.blobStart() + f * k : -1, f);

        boolean hwc = x.layout() == Layout.HWC || ch == 1 || in.plane() == 1;
        boolean padded = g.padTop() > 0 || g.padLeft() > 0 || hp > g.inH() || wp > g.inW();
        CodeBlock.Builder body = CodeBlock.builder();
        String xs = "in";
        if (padded || !hwc || dw) {
            // the depthwise kernel's last vector reads whole vectors past the last channel (zero weights):
            // slack for the largest vector the Vector API has (convFits keeps the sum in range)
            xs = c.buffer("pad_" + m, hp * wp * ch + (dw ? MAX_LANES : 0));
            c.kernels.use(hwc ? "padHwc" : "toHwc");
            body.addStatement("$L(in, $L, $L, $L, $L, $L, $L, $L)", hwc ? "padHwc" : "toHwc", ch, g.inH(), g.inW(), xs,
                    g.padTop(), g.padLeft(), wp);
        }
        CodeBlock copyIn = body.build();
        c.kernels.use("pixels");
        c.packedField(TypeName.get(int[].class), "pix_" + m, CodeBlock.of("pixels($L, $L, $L, $L, $L, $L)", g.outH(),
                g.outW(), g.sh(), g.sw(), wp, ch));
        boolean softmax = op.activation() instanceof Activation.Softmax;
        boolean flatMap = mid.plane() == 1;
        String target = pool != null || (softmax && !flatMap) ? c.buffer("t_" + m, mid.size()) : "out";
        if (wino) {
            SimdWinograd.open(c, body, m, xs, wp, g, needH, needW, target, epilogue(op.activation()));
        }
        if (gemm) {
            c.kernels.use("gemm");
            c.spill();
            body.addStatement("gemm($L, packed.pix_$L, $L, packed.w_$L, packed.b_$L, $L, $L, packed.m_$L, $L, spill)",
                    xs, m, k, m, m, target, f, m, epilogue(op.activation()));
        } else {
            String kernel = dw ? "depthwise" : rows ? "convRows" : "conv";
            c.kernels.use(kernel);
            if (rows) {
                c.rowKernels();
            }
            c.kernels.use("offsets");
            c.packedField(TypeName.get(int[].class), "off_" + m, CodeBlock.of("offsets($L, $L, $L, $L, $L)", g.kh(),
                    g.kw(), dw ? 1 : ch, g.dh() * wp * ch, g.dw() * ch));
            c.spill();
            body.addStatement("$L($L, packed.pix_$L, packed.off_$L, $Lpacked.w_$L, packed.b_$L, $L, $L, packed.m_$L, $L, spill)",
                    kernel, xs, m, m, rows ? g.kw() * ch + ", " : "", m, m, target, f, m, epilogue(op.activation()));
        }
        if (wino) {
            body.endControlFlow();
        }
        CodeBlock.Builder post = CodeBlock.builder();
        e.after(post, op.activation(), target, mid.size());
        // one channel, or one pixel: HWC and CHW are the same order
        Layout layout = flatMap || f == 1 ? Layout.CHW : Layout.HWC;
        String how = (dw ? "vector depthwise conv, " : gemm ? "vector conv (GEMM), " : rows ? "vector conv (GEMM per kernel row), "
                : "vector conv, ") + (wino ? "Winograd F(2x2,3x3) when the channels are whole vectors, else direct, " : "") + (padded || !hwc || dw ? (hwc ? "padded HWC copy" : "CHW input transposed") + ", "
                : "") + "HWC";
        if (pool != null) {
            SimdPools.layer(c.kernels, post, pool, target, mid, "out", out);
            layout = out.plane() == 1 || f == 1 ? Layout.CHW : Layout.HWC;
            how += " + vector " + pool.kind();
        } else if (softmax && !flatMap) {
            c.kernels.use("toChw");
            post.addStatement("toChw($L, $L, $L, $L, out)", target, f, mid.height(), mid.width());
            layout = Layout.CHW;
            how += ", CHW for softmax";
        }
        body.add(post.build());
        if (wino && SimdBatchConv.worth(c, g, needH, needW)) {
            SimdBatchConv.layer(c, m, copyIn, xs, wp, g, needH, needW, target, epilogue(op.activation()), post.build());
        }
        e.vectorLayer(body.build(), x, layout, how);
        if (softmax) {
            e.softmaxStep(op.activation());
        }
        return null;
    }

    /**
     * A layer with few filters on a CHW input ({@link SimdChwConv}: at most {@value SimdChwConv#MAX_CHANNELS}
     * channels and {@value SimdChwConv#MAX_FILTERS} filters, stride 1, any padding, output rows of at least
     * {@link #CHW_MIN_PIXELS} pixels), pixels in lanes, into a CHW result; a fused pool (whose windows are never
     * clipped) then reads it and writes HWC, so the next layer gets what the HWC kernels would have given.
     * Returns false, emitting nothing, for any other layer.
     */
    private boolean chwConv(Conv2d op, Pool2d pool, ConvGeometry g, Val x, int hp, int wp, Shape mid, Shape out) {
        int f = g.outC();
        int ch = g.inC();
        if (op.groups() != 1 || x.layout() != Layout.CHW || ch > SimdChwConv.MAX_CHANNELS || f > SimdChwConv.MAX_FILTERS
                || g.sh() != 1 || g.sw() != 1 || g.outW() < CHW_MIN_PIXELS || !op.activation().isElementwise()
                || (pool != null && !SimdPools.inside(pool, mid, out))) {
            return false;
        }
        boolean padded = g.padTop() != 0 || g.padLeft() != 0 || hp != g.inH() || wp != g.inW();
        String m = scalar.method();
        int taps = g.kh() * g.kw();
        boolean channelMajor = ConvRows.transposedWeights(new ConvLoops.Layer(g, 0, -1, op.activation()));
        c.kernels.use(SimdChwConv.PACK);
        c.packedField(TypeName.get(float[].class), "w_" + m, CodeBlock.of("$L(weights, $L, $L, $L, $L, $L, $L)",
                SimdChwConv.PACK, scalar.blobStart(), f, ch, taps, channelMajor ? 1 : ch * taps, channelMajor ? f : 1));
        e.packBias(m, op.bias() ? scalar.blobStart() + f * ch * taps : -1, f);
        c.kernels.use(SimdChwConv.OFFSETS);
        int rows = padded ? hp : g.inH();
        int row = padded ? wp : g.inW();
        c.packedField(TypeName.get(int[].class), "off_" + m, CodeBlock.of("$L($L, $L, $L, $L, $L, $L)",
                SimdChwConv.OFFSETS, g.kh(), g.kw(), ch, rows * row, g.dh() * row, g.dw()));
        String driver = SimdChwConv.driver(f);
        c.kernels.use(driver);
        String target = pool != null ? c.buffer("t_" + m, mid.size()) : "out";
        CodeBlock.Builder body = CodeBlock.builder();
        String xs = "in";
        if (padded) {
            xs = c.buffer("pad_" + m, ch * hp * wp);
            c.kernels.use("padChw");
            body.addStatement("padChw(in, $L, $L, $L, $L, $L, $L, $L, $L)", ch, g.inH(), g.inW(), xs, g.padTop(),
                    g.padLeft(), wp, hp);
        }
        body.addStatement("$L($L, $L, packed.off_$L, packed.w_$L, packed.b_$L, $L, $L, $L, $L)",
                driver, xs, row, m, m, m, target, g.outH(), g.outW(), epilogue(op.activation()));
        e.after(body, op.activation(), target, mid.size());
        String how = "vector conv, pixels in lanes, " + (padded ? "padded CHW copy, " : "") + "CHW";
        Layout layout = Layout.CHW;
        if (pool != null) {
            SimdPools.chwToHwc(body, pool, target, mid, "out", out);
            layout = out.plane() == 1 || f == 1 ? Layout.CHW : Layout.HWC;
            how += " + " + pool.kind() + " into HWC";
        }
        e.vectorLayer(body.build(), x, layout, how);
        return true;
    }

    /**
     * A 1x1 convolution (stride 1, no padding) of a CHW input by the CHW GEMM of {@link SimdChw}: the
     * result stays CHW, so neither side is transposed.
     */
    private Void pointwiseChw(Conv2d op, ConvGeometry g) {
        String m = scalar.method();
        int f = g.outC();
        int ch = g.inC();
        boolean channelMajor = ConvRows.transposedWeights(new ConvLoops.Layer(g, 0, -1, op.activation()));
        c.kernels.use("packPointwise");
        c.packedField(TypeName.get(float[].class), "w_" + m, CodeBlock.of("packPointwise(weights, $L, $L, $L, $L, $L)",
                scalar.blobStart(), f, ch, channelMajor ? 1 : ch, channelMajor ? f : 1));
        e.packBias(m, op.bias() ? scalar.blobStart() + f * ch : -1, f);
        c.kernels.use("pointwise");
        CodeBlock.Builder body = CodeBlock.builder().addStatement("pointwise(in, $L, $L, packed.w_$L, packed.b_$L, out, $L, $L)",
                g.outH() * g.outW(), ch, m, m, f, epilogue(op.activation()));
        e.after(body, op.activation(), "out", node.shape().size());
        e.vectorLayer(body.build(), e.input(0), Layout.CHW, "vector 1x1 conv as a GEMM over the pixels, CHW");
        e.softmaxStep(op.activation());
        return null;
    }

    /**
     * A depthwise convolution (multiplier 1, stride 1) of a CHW input by the CHW kernel of {@link SimdChw}
     * (pixels in lanes): each plane is padded into a scratch plane of {@code hp x wp}, the result stays CHW.
     */
    private Void depthwiseChw(Conv2d op, ConvGeometry g, int hp, int wp) {
        String m = scalar.method();
        int f = g.outC();
        int taps = g.kh() * g.kw();
        e.packBias(m, op.bias() ? scalar.blobStart() + f * taps : -1, f);
        c.kernels.use("offsets");
        c.packedField(TypeName.get(int[].class), "off_" + m, CodeBlock.of("offsets($L, $L, 1, $L, $L)", g.kh(), g.kw(),
                g.dh() * wp, g.dw()));
        String plane = c.buffer("pad_" + m, hp * wp);
        c.kernels.use("depthwiseChw");
        // the scalar blob holds the weights as [channel][ky][kx]: the kernel reads them in place
        CodeBlock.Builder body = CodeBlock.builder().addStatement(
                "depthwiseChw(in, $L, $L, $L, $L, $L, $L, $L, $L, $L, packed.off_$L, weights, $L, packed.b_$L, out, $L, $L)",
                f, g.inH(), g.inW(), plane, wp, g.padTop(), g.padLeft(), g.outH(), g.outW(), m, scalar.blobStart(), m,
                epilogue(op.activation()), g.kh() == 3 && g.kw() == 3 && g.dh() == 1 && g.dw() == 1);
        e.after(body, op.activation(), "out", node.shape().size());
        e.vectorLayer(body.build(), e.input(0), Layout.CHW, "vector depthwise conv, pixels in lanes, CHW");
        e.softmaxStep(op.activation());
        return null;
    }
}
