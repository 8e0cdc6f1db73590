package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.striate.backend.layers.SimdClass.Layout;
import dev.striate.backend.layers.SimdClass.ScalarLayer;
import dev.striate.backend.layers.SimdClass.Val;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvPool;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Input;
import dev.striate.ir.Maxout;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.UntiedBias;
import dev.striate.text.JavaText;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Chooses, per node, how the vector variant computes it (from the op and the shapes, at compile
 * time), and emits that into the {@link SimdClass}:
 * <ul>
 * <li>conv2d with {@code groups == 1} (any kernel, stride, dilation, padding; 1x1 and first layers with
 * few channels included), alone or fused with its pool ({@code conv2d+maxpool/avgpool}): the
 * register-blocked direct convolution of {@link SimdKernels}, HWC in and out, bias and relu/leaky relu in
 * its epilogue, other element-wise activations in a loop after it (tanh and sigmoid vectorized); a depthwise
 * conv2d with multiplier 1 ({@code groups == C == filters}) the same way with the depthwise kernel (channels in
 * lanes); except that a 1x1 conv (stride 1, no padding) and a stride-1 depthwise conv whose input is CHW
 * run the CHW kernels of {@link SimdChw} (pixels in lanes) and leave CHW, so nothing is transposed;</li>
 * <li>dense: the same kernel as a GEMV with the outputs in lanes; after a flatten of an HWC map its
 * weights are permuted at packing time, so nothing is transposed;</li>
 * <li>max/avg pool and global pool on an HWC map: channels in lanes;</li>
 * <li>tanh and sigmoid (alone, or after a conv or dense) by the vector loops of {@link SimdActivations},
 * in whatever layout their input has;</li>
 * <li>other element-wise ops (activations, add, rescale, softmax of a vector) in whatever layout their
 * input has, by the scalar twin's loop (no conversion);</li>
 * <li>everything else (other grouped conv2d: {@code 1 < groups < C} or a depthwise multiplier above 1,
 * conv_transpose2d, batch norm, concat, pad,
 * pixel shuffle, maxout, normalize, softmax over a map's channels): the scalar layer method on a CHW
 * copy of its inputs, giving a CHW value.</li>
 * </ul>
 * Flatten and dropout alias their input; the input arrives CHW, and a convolution reading it
 * transposes it (with its padding) into HWC once, unless it takes a CHW kernel. The model's last layer
 * writes the caller's output array when its result is CHW.
 */
final class VectorEmitters implements OpVisitor<Void> {
    /** Floats in the widest vector of the Vector API (2048 bits): packed weights are padded to at most this. */
    static final int MAX_LANES = 64;
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

    private final SimdClass c;
    private final Node node;
    private final ScalarLayer scalar;

    VectorEmitters(SimdClass c, Node node, ScalarLayer scalar) {
        this.c = c;
        this.node = node;
        this.scalar = scalar;
    }

    @Override
    public Void visitInput(Input op) {
        throw new IllegalStateException("a second input " + node.name());
    }

    @Override
    public Void visitConv2d(Conv2d op) {
        Shape in = c.graph.inputShapes(node).get(0);
        if ((op.groups() != 1 && !depthwise(op)) || !SimdSizes.convFits(op, in, node.shape())) {
            return fallback();
        }
        return conv(op, null);
    }

    @Override
    public Void visitConvPool(ConvPool op) {
        Shape in = c.graph.inputShapes(node).get(0);
        if ((op.conv().groups() != 1 && !depthwise(op.conv())) || !op.conv().activation().isElementwise()
                || !SimdSizes.convFits(op.conv(), in, op.convShape(in))) {
            return fallback();
        }
        return conv(op.conv(), op.pool());
    }

    public Void visitConvTranspose2d(ConvTranspose2d op) {
        return fallback();
    }

    @Override
    public Void visitPool2d(Pool2d op) {
        Val x = input(0);
        if (x.layout() != Layout.HWC) {
            return fallback();
        }
        Shape in = c.graph.inputShapes(node).get(0);
        Shape out = node.shape();
        CodeBlock.Builder body = CodeBlock.builder();
        SimdPools.layer(c.kernels, body, op, "in", in, "out", out);
        return vectorLayer(body.build(), x, Layout.HWC, "vector pool, HWC");
    }

    @Override
    public Void visitGlobalPool(GlobalPool op) {
        Val x = input(0);
        if (x.layout() != Layout.HWC) {
            return fallback();
        }
        Shape in = c.graph.inputShapes(node).get(0);
        String pool = op.poolKind() == Pool2d.Kind.MAX ? "globalMaxPool" : "globalAvgPool";
        c.kernels.use(pool);
        CodeBlock body = CodeBlock.builder().addStatement("$L(in, $L, $L, out)", pool, in.channels(),
                in.plane()).build();
        return vectorLayer(body, x, Layout.CHW, "vector global pool");
    }

    @Override
    public Void visitDense(Dense op) {
        Val x = input(0);
        int n = c.graph.inputShapes(node).get(0).size();
        int units = op.units();
        if (!SimdSizes.denseFits(units, n)) {
            return fallback();
        }
        String m = scalar.method();
        int firstStep = c.run.size();
        checkBlob((long) n * units + (op.bias() ? units : 0));
        int mc = x.layout() == Layout.HWC && x.map().plane() > 1 ? x.map().channels() : 0;
        int mn = mc > 0 ? x.map().plane() : 0;
        c.kernels.use("packDense");
        c.packedField(TypeName.get(float[].class), "w_" + m, CodeBlock.of("packDense(weights, $L, $L, $L, $L, $L)",
                scalar.blobStart(), units, n, mc, mn));
        packBiasAndTail(m, op.bias() ? scalar.blobStart() + n * units : -1, units);
        c.origin();
        c.spill();
        c.kernels.use("gemm");
        CodeBlock.Builder body = CodeBlock.builder().addStatement("gemm(in, ORIGIN, $L, packed.w_$L, packed.b_$L, out, $L, packed.m_$L, $L, spill)",
                n, m, m, units, m, epilogue(op.activation()));
        after(body, op.activation(), "out", units);
        vectorLayer(body.build(), x, Layout.CHW, mc > 0 ? "vector GEMV, weights permuted for the HWC flatten"
                : "vector GEMV");
        softmaxStep(op.activation());
        // the same layer on a block of images (rows of in and out), for runBatch: the same kernel, so each row
        // gets exactly the GEMV's sums
        CodeBlock.Builder batch = CodeBlock.builder().addStatement(
                "gemm(in, packed.rows_$L[nb], $L, packed.w_$L, packed.b_$L, out, $L, packed.m_$L, $L, spill)",
                m, n, m, m, units, m, epilogue(op.activation()));
        after(batch, op.activation(), "out", "nb * " + units);
        c.batchDense(firstStep, new SimdClass.BatchDense(m, x.buf(), n, units, batch.build(),
                op.activation() instanceof Activation.Softmax ? scalar.softmax() : null));
        return null;
    }

    @Override
    public Void visitFlatten(Flatten op) {
        return alias();
    }

    @Override
    public Void visitDropout(Dropout op) {
        return alias();
    }

    @Override
    public Void visitBatchNorm(BatchNorm op) {
        return fallback();
    }

    @Override
    public Void visitActivate(Activate op) {
        String helper = SimdActivations.helperFor(op.activation());
        if (helper != null) {
            Val x = input(0);
            c.kernels.use(helper);
            return vectorLayer(CodeBlock.builder().addStatement("$L(in, out, $L)", helper, node.shape().size()).build(),
                    x, x.layout(), "vector " + op.activation().display() + ", " + x.layout() + " as it is");
        }
        if (op.activation().isElementwise() || node.shape().rank() == 1) {
            return elementwise();
        }
        return fallback();
    }

    @Override
    public Void visitMaxout(Maxout op) {
        return fallback();
    }

    @Override
    public Void visitAdd(Add op) {
        return elementwise();
    }

    @Override
    public Void visitConcat(Concat op) {
        return fallback();
    }

    @Override
    public Void visitPixelShuffle(PixelShuffle op) {
        return fallback();
    }

    @Override
    public Void visitNormalize(Normalize op) {
        return fallback();
    }

    @Override
    public Void visitRescale(Rescale op) {
        return elementwise();
    }

    @Override
    public Void visitPad(Pad op) {
        return fallback();
    }

    @Override
    public Void visitUntiedBias(UntiedBias op) {
        return fallback();
    }

    private Val input(int i) {
        return c.values.get(node.inputs().get(i));
    }

    private Void alias() {
        c.values.put(node.name(), input(0));
        return null;
    }

    /** A depthwise conv2d with multiplier 1: {@code groups == C == filters}. */
    private boolean depthwise(Conv2d op) {
        int ch = c.graph.inputShapes(node).get(0).channels();
        return op.groups() == ch && op.filters() == ch;
    }

    /**
     * conv2d (groups 1, or depthwise with multiplier 1) with bias and activation, optionally followed by {@code pool}: the input is
     * copied into a zero-padded HWC scratch when it has padding or is not HWC already, so the kernel
     * has no bounds tests.
     */
    private Void conv(Conv2d op, Pool2d pool) {
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
        checkBlob((long) f * k + (op.bias() ? f : 0));
        Val x = input(0);
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
        packBiasAndTail(m, op.bias() ? scalar.blobStart() + f * k : -1, f);

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
        after(post, op.activation(), target, mid.size());
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
        vectorLayer(body.build(), x, layout, how);
        if (softmax) {
            softmaxStep(op.activation());
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
        packBias(m, op.bias() ? scalar.blobStart() + f * ch * taps : -1, f);
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
        after(body, op.activation(), target, mid.size());
        String how = "vector conv, pixels in lanes, " + (padded ? "padded CHW copy, " : "") + "CHW";
        Layout layout = Layout.CHW;
        if (pool != null) {
            SimdPools.chwToHwc(body, pool, target, mid, "out", out);
            layout = out.plane() == 1 || f == 1 ? Layout.CHW : Layout.HWC;
            how += " + " + pool.kind() + " into HWC";
        }
        vectorLayer(body.build(), x, layout, how);
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
        packBias(m, op.bias() ? scalar.blobStart() + f * ch : -1, f);
        c.kernels.use("pointwise");
        CodeBlock.Builder body = CodeBlock.builder().addStatement("pointwise(in, $L, $L, packed.w_$L, packed.b_$L, out, $L, $L)",
                g.outH() * g.outW(), ch, m, m, f, epilogue(op.activation()));
        after(body, op.activation(), "out", node.shape().size());
        vectorLayer(body.build(), input(0), Layout.CHW, "vector 1x1 conv as a GEMM over the pixels, CHW");
        softmaxStep(op.activation());
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
        packBias(m, op.bias() ? scalar.blobStart() + f * taps : -1, f);
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
        after(body, op.activation(), "out", node.shape().size());
        vectorLayer(body.build(), input(0), Layout.CHW, "vector depthwise conv, pixels in lanes, CHW");
        softmaxStep(op.activation());
        return null;
    }

    private void packBias(String m, int biasOffset, int f) {
        c.kernels.use("packBias");
        c.packedField(TypeName.get(float[].class), "b_" + m, CodeBlock.of("packBias(weights, $L, $L)", biasOffset, f));
    }

    private void packBiasAndTail(String m, int biasOffset, int f) {
        packBias(m, biasOffset, f);
        c.kernels.use("tail");
        c.packedField(SimdKernels.MASK, "m_" + m, CodeBlock.of("tail($L)", f));
    }

    /** The blob range the scalar emitter filled must be exactly this layer's weights (and bias). */
    private void checkBlob(long floats) {
        if (scalar.blobEnd() - scalar.blobStart() != floats) {
            throw new IllegalStateException("layer " + node.name() + ": the scalar emitter stored "
                    + (scalar.blobEnd() - scalar.blobStart()) + " floats, the vector packing expects " + floats);
        }
    }

    /** The {@code floor} argument of the convolution kernel's epilogue {@code max(v + bias, floor)}. */
    private static String epilogue(Activation a) {
        return a instanceof Activation.Relu ? "0f" : "Float.NEGATIVE_INFINITY";
    }

    /**
     * An element-wise activation other than relu (the epilogue's) over {@code arr}: the vector helper of
     * {@link SimdActivations} for tanh and sigmoid, else the scalar twin's loop.
     */
    private void after(CodeBlock.Builder b, Activation a, String arr, int count) {
        after(b, a, arr, String.valueOf(count));
    }

    /** As {@link #after(CodeBlock.Builder, Activation, String, int)}, for a count computed at run time. */
    private void after(CodeBlock.Builder b, Activation a, String arr, String count) {
        String helper = SimdActivations.helperFor(a);
        if (helper != null) {
            c.kernels.use(helper);
            b.addStatement("$L($L, $L, $L)", helper, arr, arr, count);
        } else if (!(a instanceof Activation.Relu)) {
            ActivationCode.applyInPlace(b, a, arr, "0", count);
        }
    }

    private void softmaxStep(Activation a) {
        if (a instanceof Activation.Softmax) {
            c.softmax(node, scalar.softmax(), c.values.get(node.name()).buf());
        }
    }

    /** A vector layer method {@code m(in, out)} with {@code body}, writing a new value of {@code layout}. */
    private Void vectorLayer(CodeBlock body, Val x, Layout layout, String how) {
        String m = scalar.method();
        Shape out = node.shape();
        String buf = c.result(node, layout == Layout.CHW, out.size());
        c.methods.add(MethodSpec.methodBuilder(m)
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Layer {@code $L}: $L($L), $L; $L.\n", JavaText.comment(node.name()),
                        node.op().kind(), node.op().describe(), shapes(), how)
                .addParameter(float[].class, "in")
                .addParameter(float[].class, "out")
                .addCode(body)
                .build());
        c.values.put(node.name(), layout == Layout.HWC ? new Val(buf, Layout.HWC, out) : Val.chw(buf));
        c.run.add(SimdClass.step(CodeBlock.builder().add(c.comment(node, how))
                .addStatement("$L($L, $L)", m, x.buf(), buf).build(), 12));
        return null;
    }

    /**
     * An element-wise op: the scalar twin's method on the inputs as they are, when they share one
     * layout (the result has it too); otherwise on CHW copies.
     */
    private Void elementwise() {
        Val first = input(0);
        for (int i = 1; i < node.inputs().size(); i++) {
            Val v = input(i);
            if (v.layout() != first.layout() || (v.map() != null && !v.map().equals(first.map()))) {
                return fallback();
            }
        }
        List<String> args = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            args.add(input(i).buf());
        }
        String buf = c.result(node, first.layout() == Layout.CHW, node.shape().size());
        Val result = new Val(buf, first.layout(), first.map());
        return callScalar(args, result, "scalar loop, " + first.layout() + " as it is");
    }

    /** The scalar layer method on CHW copies of the inputs: a CHW value. */
    private Void fallback() {
        List<String> args = new ArrayList<>();
        List<Shape> shapes = c.graph.inputShapes(node);
        for (int i = 0; i < node.inputs().size(); i++) {
            args.add(c.need(node.inputs().get(i), shapes.get(i)));
        }
        return callScalar(args, Val.chw(c.result(node, true, node.shape().size())), "scalar, CHW");
    }

    private Void callScalar(List<String> inputs, Val result, String how) {
        List<String> args = new ArrayList<>();
        if (scalar.usesWeights()) {
            args.add("weights");
        }
        args.addAll(inputs);
        args.add(result.buf());
        if (scalar.usesRows()) {
            args.add(ScratchRows.NAME);
        }
        c.values.put(node.name(), result);
        c.run.add(SimdClass.step(CodeBlock.builder().add(c.comment(node, how))
                .addStatement("$T.$L($L)", c.outer, scalar.method(), String.join(", ", args)).build(),
                4 + 2 * args.size()));
        if (scalar.softmax() != null) {
            c.softmax(node, scalar.softmax(), result.buf());
        }
        return null;
    }

    private String shapes() {
        List<Shape> in = c.graph.inputShapes(node);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < in.size(); i++) {
            sb.append(i > 0 ? " + " : "").append(in.get(i));
        }
        return sb.append(" -> ").append(node.shape()).toString();
    }
}
