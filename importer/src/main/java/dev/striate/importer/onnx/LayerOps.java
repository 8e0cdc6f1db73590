package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.Translator.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mapping of each supported ONNX operator to a Striate layer (see docs/import.md for the
 * table): reads the node's attributes and weights, checks the form is one Striate computes the
 * same way, and adds the layer with its weights in Striate's layout. The windowed operators are in
 * {@link WindowOps}, those that only move data in {@link ShapeOps}.
 */
final class LayerOps extends NodeOps {
    /** The operators a model may use, as listed in error messages. */
    static final List<String> SUPPORTED = List.of("Conv", "ConvTranspose", "Gemm", "MatMul (+Add)", "Relu",
            "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softmax", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "ReduceMean/ReduceMax (over H and W)", "BatchNormalization", "Add", "Concat", "Flatten", "Reshape (flatten)", "Pad (constant)",
            "DepthToSpace (CRD)", "Dropout", "Identity", "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Slice", "Transpose", "Cast", "ConstantOfShape");

    private final WindowOps windows;
    private final ShapeOps shapes;

    LayerOps(Translator t) {
        super(t);
        this.windows = new WindowOps(t);
        this.shapes = new ShapeOps(t);
    }

    void translate(NodeProto n) {
        switch (n.getOpType()) {
            case "Conv" -> windows.conv(n);
            case "ConvTranspose" -> windows.convTranspose(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            case "Relu" -> unary(n, "relu");
            case "Sigmoid" -> unary(n, "sigmoid");
            case "Tanh" -> unary(n, "tanh");
            case "LeakyRelu" -> unary(n, withAlpha("leaky_relu", Attributes.real(n, "alpha", 0.01f), 0.01f));
            case "Elu" -> unary(n, withAlpha("elu", Attributes.real(n, "alpha", 1f), 1f));
            case "Softmax" -> softmax(n);
            case "MaxPool", "AveragePool" -> windows.pool(n);
            case "GlobalAveragePool", "GlobalMaxPool" -> windows.globalPool(n);
            case "ReduceMean", "ReduceMax" -> windows.reduce(n);
            case "Squeeze" -> shapes.squeeze(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Add" -> add(n);
            case "Concat" -> concat(n);
            case "Flatten" -> shapes.flatten(n, (int) Attributes.integer(n, "axis", 1));
            case "Reshape" -> shapes.reshape(n);
            case "Pad" -> shapes.pad(n);
            case "DepthToSpace" -> shapes.depthToSpace(n);
            case "Dropout", "Identity" -> alias(n, in(n, 0));
            case "Transpose" -> channelSoftmax(n);
            default -> throw ImportError.at(t.file.path, ErrorCode.IMPORT_UNSUPPORTED_OP,
                    Translator.describe(n) + (ConstantFolder.OPS.contains(n.getOpType())
                            ? " computes on model values; Striate folds it only when its inputs are constants"
                            : " has no Striate layer")
                            + ". Supported: " + String.join(", ", SUPPORTED));
        }
    }

    // ---- layers --------------------------------------------------------------------------------

    private static String withAlpha(String op, float alpha, float fallback) {
        return alpha == fallback ? op : op + "(alpha=" + alpha + ")";
    }

    private void unary(NodeProto n, String call) {
        Value x = in(n, 0);
        emit(n, call, List.of(x), x.onnx(), x.shape());
    }

    private Value vector(NodeProto n, int i) {
        Value x = in(n, i);
        if (x.shape().length != 1) {
            throw t.form(n, "reads a value of shape " + Arrays.toString(x.onnx()) + "; it needs [batch, N] "
                    + "(flatten feature maps first)");
        }
        return x;
    }

    private void gemm(NodeProto n) {
        Value x = vector(n, 0);
        Const b = weight(n, 1);
        Const c = weight(n, 2);
        if (Attributes.integer(n, "transA", 0) != 0 || b == null || b.rank() != 2) {
            throw t.form(n, "is not x * B + C with a stored 2-D B (transA must be 0)");
        }
        boolean transB = Attributes.integer(n, "transB", 0) != 0;
        Const w = transB ? b : b.transpose(new long[] {1, 0});
        dense(n, x, w, c, Attributes.real(n, "alpha", 1f), Attributes.real(n, "beta", 1f));
    }

    private void matMul(NodeProto n) {
        Value x = vector(n, 0);
        Const b = weight(n, 1);
        if (b == null || b.rank() != 2) {
            throw t.form(n, "is not x * B with a stored 2-D B");
        }
        Const bias = null;
        NodeProto add = soleReader(n);
        if (add != null && add.getOpType().equals("Add")) {
            String other = add.getInput(0).equals(n.getOutput(0)) ? add.getInput(1) : add.getInput(0);
            bias = t.constants.get(other);
            if (bias != null) {
                t.absorbed.add(add);
            }
        }
        Value out = dense(n, x, b.transpose(new long[] {1, 0}), bias, 1f, 1f);
        if (bias != null) {
            t.values.put(add.getOutput(0), out);
            Layer l = t.layers.remove(t.layers.size() - 1);
            t.layers.add(new Layer(l.value(), l.call(), l.op(), l.inputs(), l.source() + " + " + Translator.source(add)));
        }
    }

    private NodeProto soleReader(NodeProto n) {
        String out = n.getOutput(0);
        if (t.readers.getOrDefault(out, 0) != 1) {
            return null;
        }
        return t.file.model.getGraph().getNodeList().stream().filter(m -> m.getInputList().contains(out))
                .findFirst().orElse(null);
    }

    private Value dense(NodeProto n, Value x, Const w, Const c, float alpha, float beta) {
        int units = w.dims()[0];
        int k = w.dims()[1];
        if (k != x.shape()[0]) {
            throw t.form(n, "has weights for " + k + " inputs but reads " + x.shape()[0]);
        }
        float[] weight = w.floats();
        for (int i = 0; i < weight.length; i++) {
            weight[i] *= alpha;
        }
        float[] bias = null;
        if (c != null) {
            if (c.size() != units && c.size() != 1) {
                throw t.form(n, "has a bias of shape " + Arrays.toString(c.dims()) + " for " + units + " units");
            }
            bias = new float[units];
            for (int i = 0; i < units; i++) {
                bias[i] = beta * (float) c.values()[c.size() == 1 ? 0 : i];
            }
        }
        String layer = t.layerName(n, n.getInputCount() > 1 ? n.getInput(1) : "", "dense");
        addWeight(layer, "weight", new int[] {units, k}, weight);
        if (bias != null) {
            addWeight(layer, "bias", new int[] {units}, bias);
        }
        String call = "dense(" + units + (bias == null ? ", bias=false" : "") + ", " + name(layer) + ")";
        return emit(n, call, List.of(x), new int[] {units}, new int[] {units});
    }

    private void softmax(NodeProto n) {
        Value x = in(n, 0);
        int rank = x.onnx().length + 1;
        long axis = Attributes.integer(n, "axis", t.file.opset < 13 ? 1 : -1);
        axis = axis < 0 ? axis + rank : axis;
        boolean ok;
        if (t.file.opset < 13) {
            // before opset 13: softmax over everything from `axis` on, flattened
            ok = axis == 1 && x.shape().length == 1;
        } else {
            ok = axis == 1 && (rank == 2 || rank == 4);
        }
        if (!ok) {
            throw t.form(n, "normalizes over axis " + axis + " of a rank-" + rank + " tensor (opset " + t.file.opset
                    + "); Striate's softmax runs over channels (axis 1) of [batch, N] or, from opset 13, [batch, C, H, W]");
        }
        emit(n, "softmax", List.of(x), x.onnx(), x.shape());
    }

    /** True when {@code back} undoes {@code there}. */
    private static boolean inverse(long[] there, long[] back) {
        if (back.length != there.length) {
            return false;
        }
        for (int i = 0; i < back.length; i++) {
            if (back[i] < 0 || back[i] >= there.length || there[(int) back[i]] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * PyTorch's opset-11 form of a softmax over the channels of a map: Transpose channels last,
     * Softmax on the last axis, Transpose back. Other transposes of model values are refused.
     */
    private void channelSoftmax(NodeProto n) {
        Value x = map(n, in(n, 0));
        NodeProto softmax = soleReader(n);
        NodeProto back = softmax == null ? null : soleReader(softmax);
        long[] there = Attributes.integers(n, "perm", new long[0]);
        long axis = softmax == null ? 0 : Attributes.integer(softmax, "axis", t.file.opset < 13 ? 1 : -1);
        boolean matches = there.length == 4 && there[0] == 0 && there[3] == 1
                && softmax != null && softmax.getOpType().equals("Softmax") && (axis == 3 || axis == -1)
                && back != null && back.getOpType().equals("Transpose")
                && inverse(there, Attributes.integers(back, "perm", new long[0]));
        if (!matches) {
            throw t.form(n, "transposes a model value; Striate keeps the [C, H, W] layout and imports a Transpose only "
                    + "as part of a softmax over channels (Transpose, Softmax on the last axis, Transpose back)");
        }
        t.absorbed.add(softmax);
        t.absorbed.add(back);
        emit(n, "softmax", List.of(x), x.onnx(), x.shape());
        t.values.put(back.getOutput(0), t.values.get(n.getOutput(0)));
        Layer l = t.layers.remove(t.layers.size() - 1);
        t.layers.add(new Layer(l.value(), l.call(), l.op(), l.inputs(), l.source() + " + " + Translator.source(softmax)
                + " + " + Translator.source(back)));
    }

    private void batchNorm(NodeProto n) {
        Value x = in(n, 0);
        if (Attributes.integer(n, "training_mode", 0) != 0) {
            throw t.form(n, "is in training mode; export the model in eval mode");
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && t.readers.getOrDefault(n.getOutput(i), 0) > 0) {
                throw t.form(n, "has its running statistics outputs read; export the model in eval mode");
            }
        }
        int c = x.shape()[0];
        String[] params = {"weight", "bias", "running_mean", "running_var"};
        String layer = t.layerName(n, n.getInput(1), "batchnorm");
        for (int i = 0; i < 4; i++) {
            Const p = weight(n, i + 1);
            if (p == null || p.size() != c) {
                throw t.form(n, "needs stored " + params[i] + " of " + c + " values");
            }
            addWeight(layer, params[i], new int[] {c}, p.floats());
        }
        float eps = Attributes.real(n, "epsilon", 1e-5f);
        String call = "batchnorm(" + (eps == 1e-5f ? "" : "epsilon=" + eps + ", ") + name(layer) + ")";
        emit(n, call, List.of(x), x.onnx(), x.shape());
    }

    private void add(NodeProto n) {
        Value a = in(n, 0);
        Value b = in(n, 1);
        if (!Arrays.equals(a.onnx(), b.onnx())) {
            throw t.form(n, "adds shapes " + Arrays.toString(a.onnx()) + " and " + Arrays.toString(b.onnx())
                    + "; Striate adds values of one shape (no broadcasting)");
        }
        emit(n, "add", List.of(a, b), a.onnx(), a.shape());
    }

    private void concat(NodeProto n) {
        List<Value> ins = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) {
            ins.add(in(n, i));
        }
        Value first = ins.get(0);
        int rank = first.onnx().length + 1;
        long axis = Attributes.integer(n, "axis", 1);
        axis = axis < 0 ? axis + rank : axis;
        int channels = 0;
        for (Value v : ins) {
            boolean fits = v.shape().length == first.shape().length && Arrays.equals(
                    Arrays.copyOfRange(v.shape(), 1, v.shape().length),
                    Arrays.copyOfRange(first.shape(), 1, first.shape().length));
            if (!fits || v.onnx().length != first.onnx().length) {
                throw t.form(n, "joins values of different shapes");
            }
            channels += v.shape()[0];
        }
        if (axis != 1) {
            throw t.form(n, "joins along axis " + axis + "; Striate's concat joins channels (axis 1)");
        }
        int[] onnx = first.onnx().clone();
        int[] shape = first.shape().clone();
        onnx[0] = channels;
        shape[0] = channels;
        emit(n, "concat", ins, onnx, shape);
    }

}
