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
        c.batchDense(firstStep, new SimdRunBatch.BatchDense(m, x.buf(), n, units, batch.build(),
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

    Val input(int i) {
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

    /** conv2d (groups 1, or depthwise with multiplier 1), optionally followed by {@code pool}: see {@link VectorConvEmitter}. */
    private Void conv(Conv2d op, Pool2d pool) {
        return new VectorConvEmitter(this, c, node, scalar).conv(op, pool);
    }


    void packBias(String m, int biasOffset, int f) {
        c.kernels.use("packBias");
        c.packedField(TypeName.get(float[].class), "b_" + m, CodeBlock.of("packBias(weights, $L, $L)", biasOffset, f));
    }

    void packBiasAndTail(String m, int biasOffset, int f) {
        packBias(m, biasOffset, f);
        c.kernels.use("tail");
        c.packedField(SimdKernels.MASK, "m_" + m, CodeBlock.of("tail($L)", f));
    }

    /** The blob range the scalar emitter filled must be exactly this layer's weights (and bias). */
    void checkBlob(long floats) {
        if (scalar.blobEnd() - scalar.blobStart() != floats) {
            throw new IllegalStateException("layer " + node.name() + ": the scalar emitter stored "
                    + (scalar.blobEnd() - scalar.blobStart()) + " floats, the vector packing expects " + floats);
        }
    }

    /** The {@code floor} argument of the convolution kernel's epilogue {@code max(v + bias, floor)}. */
    static String epilogue(Activation a) {
        return a instanceof Activation.Relu ? "0f" : "Float.NEGATIVE_INFINITY";
    }

    /**
     * An element-wise activation other than relu (the epilogue's) over {@code arr}: the vector helper of
     * {@link SimdActivations} for tanh and sigmoid, else the scalar twin's loop.
     */
    void after(CodeBlock.Builder b, Activation a, String arr, int count) {
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

    void softmaxStep(Activation a) {
        if (a instanceof Activation.Softmax) {
            c.softmax(node, scalar.softmax(), c.values.get(node.name()).buf());
        }
    }

    /** A vector layer method {@code m(in, out)} with {@code body}, writing a new value of {@code layout}. */
    Void vectorLayer(CodeBlock body, Val x, Layout layout, String how) {
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
