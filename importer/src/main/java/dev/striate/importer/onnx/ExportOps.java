package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
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
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Maxout;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.UntiedBias;
import dev.striate.weights.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX nodes of each Striate op (the inverse of {@link LayerOps}): one visit per node of a
 * shaped graph with its weights bound, adding nodes and initializers to the graph being built.
 * ONNX values are named after the Striate nodes, initializers after the weights' keys
 * ({@code conv1.weight}, as PyTorch names them, so an import restores the layer names). Ops
 * without an ONNX operator are decomposed (maxout: Reshape + ReduceMax; untied bias: Add of the
 * stored bias; rescale and normalize: Mul/Add and Sub/Div); views (dropout, a linear activation)
 * add no node.
 */
final class ExportOps implements OpVisitor<Void> {
    private final Graph graph;
    private final long opset;
    private final GraphProto.Builder out;
    /** The ONNX value holding each Striate node's output (a view's is its input's). */
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> nodeNames = new HashSet<>();
    private Node node;

    ExportOps(Graph graph, long opset, GraphProto.Builder out) {
        this.graph = graph;
        this.opset = opset;
        this.out = out;
    }

    /** Adds the nodes of {@code n}. */
    void add(Node n) {
        node = n;
        n.op().accept(this);
    }

    /** The ONNX value holding {@code nodeName}'s output. */
    String value(String nodeName) {
        return values.get(nodeName);
    }

    // ---- building blocks ---------------------------------------------------------------------

    private String in(int i) {
        return values.get(node.inputs().get(i));
    }

    private Shape inShape(int i) {
        return graph.node(node.inputs().get(i)).shape();
    }

    /**
     * Adds a node computing {@code output} and returns its builder for attributes; the node is
     * named {@code name}, or {@code name/OpType} when a node of the layer already has that name.
     */
    private NodeProto.Builder op(String opType, String name, String output, String... inputs) {
        String unique = nodeNames.add(name) ? name : name + "/" + opType;
        nodeNames.add(unique);
        NodeProto.Builder b = out.addNodeBuilder().setOpType(opType).setName(unique).addOutput(output);
        for (String i : inputs) {
            b.addInput(i);
        }
        return b;
    }

    /** The node's last ONNX op, named and valued after the Striate node. */
    private NodeProto.Builder last(String opType, String... inputs) {
        values.put(node.name(), node.name());
        return op(opType, node.name(), node.name(), inputs);
    }

    /** The node's value is {@code value} (a view): no ONNX node. */
    private void alias(String value) {
        values.put(node.name(), value);
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static AttributeProto text(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    /** A float initializer named {@code name}, little-endian raw data. */
    private String floats(String name, int[] dims, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(data.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            b.putFloat(f);
        }
        TensorProto.Builder t = out.addInitializerBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (int d : dims) {
            t.addDims(d);
        }
        return name;
    }

    /** An int64 vector initializer named {@code name}. */
    private String longs(String name, long... data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            b.putLong(v);
        }
        out.addInitializerBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(data.length)
                .setRawData(ByteString.copyFrom(b.array()));
        return name;
    }

    /** The bound weight {@code param} of the node, as an initializer named by its key. */
    private String weight(String param) {
        Tensor t = graph.weight(node, param);
        if (t == null) {
            throw refuse("has no bound weight '" + param + "'");
        }
        return floats(node.paramKey(param), t.shape(), t.data());
    }

    private CompileException refuse(String why) {
        return new CompileException(Diagnostic.error(ErrorCode.EXPORT_UNSUPPORTED, node.pos(), "layer '" + node.name()
                + "' (" + node.op().kind() + ") " + why));
    }

    /** The activation a layer applies last, after {@code value} (its linear part's output). */
    private void activate(Activation a, String value, Shape shape) {
        if (a.isIdentity()) {
            alias(value);
        } else if (a instanceof Activation.Relu) {
            last("Relu", value);
        } else if (a instanceof Activation.Sigmoid) {
            last("Sigmoid", value);
        } else if (a instanceof Activation.Tanh) {
            last("Tanh", value);
        } else if (a instanceof Activation.LeakyRelu l) {
            last("LeakyRelu", value).addAttribute(real("alpha", l.alpha()));
        } else if (a instanceof Activation.Elu e) {
            last("Elu", value).addAttribute(real("alpha", e.alpha()));
        } else if (a instanceof Activation.Softmax) {
            softmax(value, shape);
        } else {
            throw refuse("applies " + a.display() + ", which has no ONNX operator here");
        }
    }

    /**
     * Softmax over channels: axis 1 from opset 13 on; before it ONNX's Softmax flattens everything
     * from its axis on, so a map's channels are moved last and back (what PyTorch exports).
     */
    private void softmax(String value, Shape shape) {
        if (opset >= 13 || shape.rank() == 1) {
            last("Softmax", value).addAttribute(integer("axis", 1));
            return;
        }
        if (shape.rank() != 3) {
            throw refuse("is a softmax over a value of shape " + shape + "; before opset 13 it is exported for [N] and"
                    + " [C, H, W] only (use --opset 13 or later)");
        }
        String last = node.name() + "/channels_last";
        String soft = node.name() + "/softmax";
        op("Transpose", last, last, value).addAttribute(ints("perm", 0, 2, 3, 1));
        op("Softmax", soft, soft, last).addAttribute(integer("axis", 3));
        last("Transpose", soft).addAttribute(ints("perm", 0, 3, 1, 2));
    }

    /** {@code [top, left, bottom, right]}: ONNX's pads for H and W. */
    private static long[] pads(Padding.Explicit p) {
        return new long[] {p.top(), p.left(), p.bottom(), p.right()};
    }

    /** A weighted layer's inputs: its input, weight and (when it has one) bias. */
    private String[] linearInputs(boolean bias) {
        List<String> inputs = new ArrayList<>(List.of(in(0), weight("weight")));
        if (bias) {
            inputs.add(weight("bias"));
        }
        return inputs.toArray(String[]::new);
    }

    /** The name of a layer's linear part when an activation follows it, else the node's. */
    private String linearName(Activation a) {
        return a.isIdentity() ? node.name() : node.name() + "/linear";
    }

    // ---- the ops -------------------------------------------------------------------------------

    @Override
    public Void visitInput(Input op) {
        alias(node.name());
        return null;
    }

    @Override
    public Void visitConv2d(Conv2d op) {
        String linear = linearName(op.activation());
        op("Conv", node.name(), linear, linearInputs(op.bias()))
                .addAttribute(ints("kernel_shape", op.kernelH(), op.kernelW()))
                .addAttribute(ints("strides", op.strideH(), op.strideW()))
                .addAttribute(ints("pads", pads(op.resolvedPadding(inShape(0)))))
                .addAttribute(ints("dilations", op.dilationH(), op.dilationW()))
                .addAttribute(integer("group", op.groups()));
        activate(op.activation(), linear, node.shape());
        return null;
    }

    @Override
    public Void visitConvTranspose2d(ConvTranspose2d op) {
        String linear = linearName(op.activation());
        op("ConvTranspose", node.name(), linear, linearInputs(op.bias()))
                .addAttribute(ints("kernel_shape", op.kernelH(), op.kernelW()))
                .addAttribute(ints("strides", op.strideH(), op.strideW()))
                .addAttribute(ints("pads", op.padH(), op.padW(), op.padH(), op.padW()))
                .addAttribute(ints("output_padding", op.outputPadH(), op.outputPadW()))
                .addAttribute(ints("dilations", op.dilationH(), op.dilationW()))
                .addAttribute(integer("group", op.groups()));
        activate(op.activation(), linear, node.shape());
        return null;
    }

    @Override
    public Void visitDense(Dense op) {
        String linear = linearName(op.activation());
        op("Gemm", node.name(), linear, linearInputs(op.bias())).addAttribute(integer("transB", 1));
        activate(op.activation(), linear, node.shape());
        return null;
    }

    @Override
    public Void visitPool2d(Pool2d op) {
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        NodeProto.Builder b = last(max ? "MaxPool" : "AveragePool", in(0))
                .addAttribute(ints("kernel_shape", op.kernelH(), op.kernelW()))
                .addAttribute(ints("strides", op.strideH(), op.strideW()))
                .addAttribute(ints("pads", pads(op.resolvedPadding(inShape(0)))));
        if (!max) {
            b.addAttribute(integer("count_include_pad", op.countIncludePad() ? 1 : 0));
        }
        return null;
    }

    /** {@code GlobalAveragePool}/{@code GlobalMaxPool} give {@code [N, C, 1, 1]}; a Flatten makes it Striate's {@code [C]}. */
    @Override
    public Void visitGlobalPool(GlobalPool op) {
        String pooled = node.name();
        op(op.poolKind() == Pool2d.Kind.MAX ? "GlobalMaxPool" : "GlobalAveragePool", node.name(), pooled + "/pooled", in(0));
        values.put(node.name(), pooled);
        op("Flatten", node.name() + "/Flatten", pooled, pooled + "/pooled").addAttribute(integer("axis", 1));
        return null;
    }

    @Override
    public Void visitFlatten(Flatten op) {
        last("Flatten", in(0)).addAttribute(integer("axis", 1));
        return null;
    }

    /** The identity at inference: no node. */
    @Override
    public Void visitDropout(Dropout op) {
        alias(in(0));
        return null;
    }

    @Override
    public Void visitBatchNorm(BatchNorm op) {
        last("BatchNormalization", in(0), weight("weight"), weight("bias"), weight("running_mean"),
                weight("running_var"))
                .addAttribute(real("epsilon", op.epsilon()))
                // ONNX's momentum weighs the running value, PyTorch's (and Striate's) the batch's
                .addAttribute(real("momentum", (float) (1.0 - op.momentum())));
        return null;
    }

    @Override
    public Void visitActivate(Activate op) {
        activate(op.activation(), in(0), node.shape());
        return null;
    }

    /**
     * Channel {@code j} is the max of channels {@code j*p .. j*p+p-1}: Reshape {@code [N, C, ...]}
     * to {@code [N, C/p, p, ...]} (0 copies the batch), then ReduceMax over axis 2.
     */
    @Override
    public Void visitMaxout(Maxout op) {
        int[] d = inShape(0).dims();
        long[] shape = new long[d.length + 2];
        shape[1] = d[0] / op.pieces();
        shape[2] = op.pieces();
        for (int i = 1; i < d.length; i++) {
            shape[i + 2] = d[i];
        }
        String grouped = node.name() + "/grouped";
        op("Reshape", grouped, grouped, in(0), longs(node.name() + ".shape", shape));
        if (opset >= 18) {
            last("ReduceMax", grouped, longs(node.name() + ".axes", 2)).addAttribute(integer("keepdims", 0));
        } else {
            last("ReduceMax", grouped).addAttribute(ints("axes", 2)).addAttribute(integer("keepdims", 0));
        }
        return null;
    }

    /** Striate's add is variadic: a chain of ONNX Adds, in the inputs' order. */
    @Override
    public Void visitAdd(Add op) {
        String sum = in(0);
        for (int i = 1; i < node.inputs().size(); i++) {
            if (i == node.inputs().size() - 1) {
                last("Add", sum, in(i));
            } else {
                String partial = node.name() + "/sum" + i;
                op("Add", partial, partial, sum, in(i));
                sum = partial;
            }
        }
        return null;
    }

    @Override
    public Void visitConcat(Concat op) {
        String[] inputs = new String[node.inputs().size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = in(i);
        }
        last("Concat", inputs).addAttribute(integer("axis", 1));
        return null;
    }

    /** PyTorch's PixelShuffle is DepthToSpace in CRD mode. */
    @Override
    public Void visitPixelShuffle(PixelShuffle op) {
        last("DepthToSpace", in(0)).addAttribute(integer("blocksize", op.factor())).addAttribute(text("mode", "CRD"));
        return null;
    }

    /** {@code (x - mean) / std}: Sub and Div by one value or one per channel. */
    @Override
    public Void visitNormalize(Normalize op) {
        Shape s = inShape(0);
        String centered = node.name() + "/centered";
        op("Sub", centered, centered, in(0), perChannel(".mean", op.mean(), s));
        last("Div", centered, perChannel(".std", op.std(), s));
        return null;
    }

    /** A constant of one value (a scalar) or one per channel ({@code [C, 1, 1]} for a map, broadcast over H and W). */
    private String perChannel(String suffix, List<Float> v, Shape s) {
        float[] data = new float[v.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = v.get(i);
        }
        int[] dims = v.size() == 1 ? new int[0] : s.rank() == 3 ? new int[] {v.size(), 1, 1} : new int[] {v.size()};
        return floats(node.name() + suffix, dims, data);
    }

    /** {@code x * scale + offset}: Mul, then Add when there is an offset. */
    @Override
    public Void visitRescale(Rescale op) {
        String scale = floats(node.name() + ".scale", new int[0], new float[] {op.scale()});
        if (op.offset() == 0f) {
            last("Mul", in(0), scale);
            return null;
        }
        String scaled = node.name() + "/scaled";
        op("Mul", scaled, scaled, in(0), scale);
        last("Add", scaled, floats(node.name() + ".offset", new int[0], new float[] {op.offset()}));
        return null;
    }

    @Override
    public Void visitPad(Pad op) {
        Padding.Explicit p = op.padding();
        last("Pad", in(0), longs(node.name() + ".pads", 0, 0, p.top(), p.left(), 0, 0, p.bottom(), p.right()))
                .addAttribute(text("mode", "constant"));
        return null;
    }

    /** Made only by the inference optimizer, which the exporter does not run. */
    @Override
    public Void visitConvPool(ConvPool op) {
        throw refuse("is a fused convolution and pool of the optimizer; export the model as written");
    }

    /** A bias per channel and position: an Add of the stored tensor ({@code [C, H, W]} broadcast over the batch). */
    @Override
    public Void visitUntiedBias(UntiedBias op) {
        last("Add", in(0), weight("bias"));
        return null;
    }
}
