package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.Translator.Value;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The mapping of each supported ONNX operator to a Striate layer (see docs/import.md for the
 * table): reads the node's attributes and weights, checks the form is one Striate computes the
 * same way, and adds the layer with its weights in Striate's layout.
 */
final class LayerOps {
    /** The operators a model may use, as listed in error messages. */
    static final List<String> SUPPORTED = List.of("Conv", "ConvTranspose", "Gemm", "MatMul (+Add)", "Relu",
            "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softmax", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "ReduceMean/ReduceMax (over H and W)", "BatchNormalization", "Add", "Concat", "Flatten", "Reshape (flatten)", "Pad (constant)",
            "DepthToSpace (CRD)", "Dropout", "Identity", "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze",
            "Slice", "Transpose", "Cast", "ConstantOfShape");

    private final Translator t;

    LayerOps(Translator t) {
        this.t = t;
    }

    void translate(NodeProto n) {
        switch (n.getOpType()) {
            case "Conv" -> conv(n);
            case "ConvTranspose" -> convTranspose(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            case "Relu" -> unary(n, "relu");
            case "Sigmoid" -> unary(n, "sigmoid");
            case "Tanh" -> unary(n, "tanh");
            case "LeakyRelu" -> unary(n, withAlpha("leaky_relu", Attributes.real(n, "alpha", 0.01f), 0.01f));
            case "Elu" -> unary(n, withAlpha("elu", Attributes.real(n, "alpha", 1f), 1f));
            case "Softmax" -> softmax(n);
            case "MaxPool", "AveragePool" -> pool(n);
            case "GlobalAveragePool", "GlobalMaxPool" -> globalPool(n);
            case "ReduceMean", "ReduceMax" -> reduce(n);
            case "Squeeze" -> squeeze(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Add" -> add(n);
            case "Concat" -> concat(n);
            case "Flatten" -> flatten(n, (int) Attributes.integer(n, "axis", 1));
            case "Reshape" -> reshape(n);
            case "Pad" -> pad(n);
            case "DepthToSpace" -> depthToSpace(n);
            case "Dropout", "Identity" -> alias(n, in(n, 0));
            case "Transpose" -> channelSoftmax(n);
            default -> throw ImportError.at(t.file.path, ErrorCode.IMPORT_UNSUPPORTED_OP,
                    Translator.describe(n) + (ConstantFolder.OPS.contains(n.getOpType())
                            ? " computes on model values; Striate folds it only when its inputs are constants"
                            : " has no Striate layer")
                            + ". Supported: " + String.join(", ", SUPPORTED));
        }
    }

    // ---- inputs and outputs ----------------------------------------------------------------------

    private Value in(NodeProto n, int i) {
        String name = n.getInput(i);
        Value v = t.values.get(name);
        if (v == null) {
            throw t.form(n, "reads '" + name + "' as input " + i + ", which is a constant or unknown; Striate needs a value"
                    + " computed from the model input there");
        }
        return v;
    }

    private Const weight(NodeProto n, int i) {
        Const c = n.getInputCount() > i && !n.getInput(i).isEmpty() ? t.constants.get(n.getInput(i)) : null;
        if (c == null && n.getInputCount() > i && !n.getInput(i).isEmpty()) {
            throw t.form(n, "computes its input " + i + " ('" + n.getInput(i) + "') at run time; Striate needs "
                    + "weights stored in the model (initializers or constants)");
        }
        return c;
    }

    private void alias(NodeProto n, Value v) {
        t.values.put(n.getOutput(0), v);
        t.omitted.add(Translator.source(n));
    }

    private Value emit(NodeProto n, String call, List<Value> ins, int[] onnx, int[] shape) {
        if (Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw t.form(n, "gives an output of shape " + Arrays.toString(shape) + " for its input "
                    + Arrays.toString(ins.get(0).shape()) + " (a window larger than its padded input?)");
        }
        String op = call.contains("(") ? call.substring(0, call.indexOf('(')) : call;
        Value out = new Value(t.valueId(n), onnx, shape);
        t.layers.add(new Layer(out.id(), call, op, ins.stream().map(Value::id).toList(), Translator.source(n)));
        t.values.put(n.getOutput(0), out);
        return out;
    }

    private void addWeight(String layer, String param, int[] shape, float[] data) {
        t.weights.put(layer + "." + param, new Tensor(layer + "." + param, shape, data));
    }

    private Value map(NodeProto n, Value v) {
        if (!v.isMap()) {
            throw t.form(n, "reads a value of shape " + Arrays.toString(v.onnx()) + "; it needs a feature map "
                    + "[C, H, W]");
        }
        return v;
    }

    private static String name(String layerName) {
        return "name=\"" + layerName + "\"";
    }

    // ---- layers --------------------------------------------------------------------------------

    private static String withAlpha(String op, float alpha, float fallback) {
        return alpha == fallback ? op : op + "(alpha=" + alpha + ")";
    }

    private void unary(NodeProto n, String call) {
        Value x = in(n, 0);
        emit(n, call, List.of(x), x.onnx(), x.shape());
    }

    private void conv(NodeProto n) {
        Value x = map(n, in(n, 0));
        Const w = weight(n, 1);
        Const b = weight(n, 2);
        if (w == null || w.rank() != 4) {
            throw t.form(n, "is not a 2-D convolution with a [F, C/groups, kh, kw] weight");
        }
        int c = x.shape()[0];
        int group = (int) Attributes.integer(n, "group", 1);
        int f = w.dims()[0];
        if (group <= 0 || c % group != 0 || w.dims()[1] * group != c) {
            throw t.form(n, "has a weight " + Arrays.toString(w.dims()) + " that does not fit " + c
                    + " input channels in " + group + " groups");
        }
        Window win = window(n, x, new int[] {w.dims()[2], w.dims()[3]});
        String layer = t.layerName(n, n.getInput(1), "conv");
        StringBuilder call = new StringBuilder();
        boolean depthwise = group == c && c > 1 && f % c == 0;
        if (depthwise) {
            call.append("depthwise_conv2d(kernel=").append(Window.pair(win.kh(), win.kw()));
            if (f != c) {
                call.append(", multiplier=").append(f / c);
            }
        } else {
            call.append("conv2d(").append(f).append(", kernel=").append(Window.pair(win.kh(), win.kw()));
        }
        appendWindow(call, win, 1);
        if (!depthwise && group != 1) {
            call.append(", groups=").append(group);
        }
        endWeighted(call, layer, w, b, f);
        int[] shape = {f, win.outH(x.shape()[1]), win.outW(x.shape()[2])};
        emit(n, call.toString(), List.of(x), shape, shape);
    }

    /** Ends a (transposed) convolution's call with its bias flag and name, and keeps its weights. */
    private void endWeighted(StringBuilder call, String layer, Const w, Const b, int filters) {
        if (b == null) {
            call.append(", bias=false");
        }
        call.append(", ").append(name(layer)).append(')');
        addWeight(layer, "weight", w.dims(), w.floats());
        if (b != null) {
            addWeight(layer, "bias", new int[] {filters}, b.floats());
        }
    }

    private Window window(NodeProto n, Value x, int[] kernel) {
        Window win = Window.of(n, x.shape()[1], x.shape()[2], kernel);
        if (win == null) {
            throw t.form(n, "has window attributes Striate cannot read (2-D kernel, strides, dilations, pads and "
                    + "auto_pad NOTSET, VALID, SAME_UPPER or SAME_LOWER are supported)");
        }
        return win;
    }

    private static void appendWindow(StringBuilder call, Window win, int defaultStride) {
        if (win.sh() != defaultStride || win.sw() != defaultStride) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(win.padding());
        }
        if (win.dh() != 1 || win.dw() != 1) {
            call.append(", dilation=").append(Window.pair(win.dh(), win.dw()));
        }
    }

    private void convTranspose(NodeProto n) {
        Value x = map(n, in(n, 0));
        Const w = weight(n, 1);
        Const b = weight(n, 2);
        int group = (int) Attributes.integer(n, "group", 1);
        if (w == null || w.rank() != 4 || w.dims()[0] != x.shape()[0] || x.shape()[0] % group != 0) {
            throw t.form(n, "is not a 2-D transposed convolution with a [C, F/groups, kh, kw] weight for its input");
        }
        if (!Attributes.text(n, "auto_pad", "NOTSET").equals("NOTSET") || Attributes.has(n, "output_shape")) {
            throw t.form(n, "uses auto_pad or output_shape; Striate reproduces ConvTranspose with explicit pads and "
                    + "output_padding (what PyTorch exports)");
        }
        Window win = window(n, x, new int[] {w.dims()[2], w.dims()[3]});
        if (win.top() != win.bottom() || win.left() != win.right()) {
            throw t.form(n, "has asymmetric pads; Striate's conv_transpose2d pads both sides alike (PyTorch's padding)");
        }
        long[] op = Attributes.integers(n, "output_padding", new long[] {0, 0});
        int f = w.dims()[1] * group;
        String layer = t.layerName(n, n.getInput(1), "conv_transpose");
        StringBuilder call = new StringBuilder("conv_transpose2d(").append(f).append(", kernel=")
                .append(Window.pair(win.kh(), win.kw()));
        if (win.sh() != 1 || win.sw() != 1) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(Window.pair(win.top(), win.left()));
        }
        if (op[0] != 0 || op[1] != 0) {
            call.append(", output_padding=").append(Window.pair((int) op[0], (int) op[1]));
        }
        if (win.dh() != 1 || win.dw() != 1) {
            call.append(", dilation=").append(Window.pair(win.dh(), win.dw()));
        }
        if (group != 1) {
            call.append(", groups=").append(group);
        }
        endWeighted(call, layer, w, b, f);
        int h = (x.shape()[1] - 1) * win.sh() - 2 * win.top() + win.dh() * (win.kh() - 1) + (int) op[0] + 1;
        int wd = (x.shape()[2] - 1) * win.sw() - 2 * win.left() + win.dw() * (win.kw() - 1) + (int) op[1] + 1;
        int[] shape = {f, h, wd};
        emit(n, call.toString(), List.of(x), shape, shape);
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

    private void pool(NodeProto n) {
        Value x = map(n, in(n, 0));
        boolean max = n.getOpType().equals("MaxPool");
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && t.readers.getOrDefault(n.getOutput(1), 0) > 0) {
            throw t.form(n, "has its Indices output read; Striate pools return values only");
        }
        Window win = window(n, x, null);
        if (win.dh() != 1 || win.dw() != 1) {
            throw t.form(n, "has dilations; Striate pools are not dilated");
        }
        int h = win.outH(x.shape()[1]);
        int w = win.outW(x.shape()[2]);
        if (Attributes.integer(n, "ceil_mode", 0) != 0 && (win.ceilOutH(x.shape()[1]) != h || win.ceilOutW(x.shape()[2]) != w)) {
            throw t.form(n, "has ceil_mode=1, which here gives a larger output than floor; Striate pools round down "
                    + "(export with ceil_mode=False)");
        }
        StringBuilder call = new StringBuilder(max ? "maxpool(" : "avgpool(").append(Window.pair(win.kh(), win.kw()));
        if (win.sh() != win.kh() || win.sw() != win.kw()) {
            call.append(", stride=").append(Window.pair(win.sh(), win.sw()));
        }
        if (win.padded()) {
            call.append(", padding=").append(win.padding());
            if (!max && Attributes.integer(n, "count_include_pad", 0) == 0) {
                call.append(", count_include_pad=false");
            }
        }
        call.append(')');
        int[] shape = {x.shape()[0], h, w};
        emit(n, call.toString(), List.of(x), shape, shape);
    }

    private void globalPool(NodeProto n) {
        Value x = map(n, in(n, 0));
        int c = x.shape()[0];
        emit(n, n.getOpType().equals("GlobalMaxPool") ? "globalmaxpool" : "globalavgpool", List.of(x),
                new int[] {c, 1, 1}, new int[] {c});
    }

    /** {@code x.mean([2, 3])} and {@code x.amax([2, 3])}: global pools (keeping the 1 x 1 axes or not). */
    private void reduce(NodeProto n) {
        Value x = map(n, in(n, 0));
        long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? weight(n, 1).longs()
                : Attributes.integers(n, "axes", new long[0]);
        long[] spatial = Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
        if (!Arrays.equals(spatial, new long[] {2, 3})) {
            throw t.form(n, "reduces axes " + Arrays.toString(axes) + "; Striate imports it only over height and width "
                    + "(axes 2 and 3), as a global pool");
        }
        int c = x.shape()[0];
        boolean keep = Attributes.integer(n, "keepdims", 1) != 0;
        emit(n, n.getOpType().equals("ReduceMax") ? "globalmaxpool" : "globalavgpool", List.of(x),
                keep ? new int[] {c, 1, 1} : new int[] {c}, new int[] {c});
    }

    /** Squeeze of size-1 axes (not the batch): the data keeps its order, so it is a flatten. */
    private void squeeze(NodeProto n) {
        Value x = in(n, 0);
        int rank = x.onnx().length + 1;
        long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? weight(n, 1).longs()
                : Attributes.integers(n, "axes", new long[0]);
        boolean[] removed = new boolean[rank];
        for (long a : axes) {
            long axis = a < 0 ? a + rank : a;
            if (axis < 1 || axis >= rank || x.onnx()[(int) axis - 1] != 1) {
                throw t.form(n, "squeezes axis " + a + " of " + Arrays.toString(x.onnx()) + "; Striate squeezes axes of "
                        + "size 1 other than the batch");
            }
            removed[(int) axis] = true;
        }
        if (axes.length == 0) {
            throw t.form(n, "squeezes every axis of size 1, which may include the batch; give its axes");
        }
        int[] onnx = IntStream.range(1, rank).filter(i -> !removed[i]).map(i -> x.onnx()[i - 1]).toArray();
        if (x.isMap()) {
            int size = Arrays.stream(x.onnx()).reduce(1, (a, b) -> a * b);
            emit(n, "flatten", List.of(x), onnx, new int[] {size});
        } else {
            alias(n, new Value(x.id(), onnx, x.shape()));
        }
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

    private void flatten(NodeProto n, int axis) {
        Value x = in(n, 0);
        if (axis != 1) {
            throw t.form(n, "flattens from axis " + axis + "; Striate flattens everything but the batch (axis 1)");
        }
        int size = 1;
        for (int d : x.onnx()) {
            size *= d;
        }
        if (x.isMap()) {
            emit(n, "flatten", List.of(x), new int[] {size}, new int[] {size});
        } else {
            alias(n, new Value(x.id(), new int[] {size}, x.shape()));
        }
    }

    private void reshape(NodeProto n) {
        Value x = in(n, 0);
        Const shape = weight(n, 1);
        int size = 1;
        for (int d : x.onnx()) {
            size *= d;
        }
        if (shape != null && shape.rank() == 1 && shape.size() == 2) {
            boolean batch = shape.isBatch(0) || shape.longAt(0) == 0 || (t.fixedBatchOne && shape.longAt(0) == 1)
                    || (shape.longAt(0) == -1 && shape.longAt(1) == size);
            boolean rest = !shape.isBatch(1) && (shape.longAt(1) == -1 || shape.longAt(1) == size);
            if (batch && rest) {
                flatten(n, 1);
                return;
            }
        }
        throw t.form(n, "reshapes " + Arrays.toString(x.onnx()) + " to " + (shape == null ? "?"
                : Arrays.toString(shape.values()).replace("NaN", "batch"))
                + "; Striate imports only the flattening [batch, -1]");
    }

    private void pad(NodeProto n) {
        Value x = in(n, 0);
        if (!Attributes.text(n, "mode", "constant").equals("constant")) {
            throw t.form(n, "pads in mode '" + Attributes.text(n, "mode", "") + "'; Striate pads with zeros (constant)");
        }
        long[] pads;
        double value;
        if (t.file.opset < 11) {
            pads = Attributes.integers(n, "pads", new long[0]);
            value = Attributes.real(n, "value", 0f);
        } else {
            Const p = weight(n, 1);
            Const v = weight(n, 2);
            Const axes = weight(n, 3); // opset 18: pads for these axes only
            pads = p == null ? new long[0] : p.longs();
            value = v == null ? 0 : v.values()[0];
            long[] given = pads;
            if (axes != null && (pads = Window.padsOfAllAxes(given, axes.longs(), x.onnx().length + 1)) == null) {
                throw t.form(n, "pads axes " + Arrays.toString(axes.longs()) + " with " + given.length + " amounts; "
                        + "the axes must be distinct axes of the input, with a begin and an end each");
            }
        }
        int rank = x.onnx().length + 1;
        if (pads.length != 2 * rank || value != 0) {
            throw t.form(n, "is not a zero padding with one begin and end per axis");
        }
        for (int i = 0; i < pads.length; i++) {
            boolean spatial = rank == 4 && i % rank >= 2;
            if (pads[i] < 0 || (!spatial && pads[i] != 0)) {
                throw t.form(n, "pads " + Arrays.toString(pads) + "; Striate pads height and width by "
                        + "non-negative amounts only");
            }
        }
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            alias(n, x);
            return;
        }
        int top = (int) pads[2];
        int left = (int) pads[3];
        int bottom = (int) pads[6];
        int right = (int) pads[7];
        int[] shape = {x.shape()[0], x.shape()[1] + top + bottom, x.shape()[2] + left + right};
        emit(n, "pad(" + Window.sides(top, bottom, left, right) + ")", List.of(map(n, x)), shape, shape);
    }

    private void depthToSpace(NodeProto n) {
        Value x = map(n, in(n, 0));
        int r = (int) Attributes.integer(n, "blocksize", 0);
        String mode = Attributes.text(n, "mode", "DCR");
        if (!mode.equals("CRD")) {
            throw t.form(n, "uses mode " + mode + "; Striate's pixel_shuffle is DepthToSpace in CRD mode (PyTorch's "
                    + "PixelShuffle)");
        }
        if (r <= 0 || r > x.shape()[0] || x.shape()[0] % (r * r) != 0) {
            throw t.form(n, "has blocksize " + r + " for " + x.shape()[0] + " channels");
        }
        int[] shape = {x.shape()[0] / (r * r), x.shape()[1] * r, x.shape()[2] * r};
        emit(n, "pixel_shuffle(" + r + ")", List.of(x), shape, shape);
    }
}
