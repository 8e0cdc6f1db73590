package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.striate.importer.onnx.Translator.Value;
import dev.striate.weights.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * What the operator translations ({@link LayerOps}, {@link WindowOps}, {@link ShapeOps}) share: reading a node's
 * inputs and stored weights, and adding its layer, with its weights, to the {@link Translator}'s model.
 */
abstract class NodeOps {
    final Translator t;

    NodeOps(Translator t) {
        this.t = t;
    }

    Value in(NodeProto n, int i) {
        String name = n.getInput(i);
        Value v = t.values.get(name);
        if (v == null) {
            throw t.form(n, "reads '" + name + "' as input " + i + ", which is a constant or unknown; Striate needs a value"
                    + " computed from the model input there");
        }
        return v;
    }

    Const weight(NodeProto n, int i) {
        Const c = n.getInputCount() > i && !n.getInput(i).isEmpty() ? t.constants.get(n.getInput(i)) : null;
        if (c == null && n.getInputCount() > i && !n.getInput(i).isEmpty()) {
            throw t.form(n, "computes its input " + i + " ('" + n.getInput(i) + "') at run time; Striate needs "
                    + "weights stored in the model (initializers or constants)");
        }
        return c;
    }

    void alias(NodeProto n, Value v) {
        t.values.put(n.getOutput(0), v);
        t.omitted.add(Translator.source(n));
    }

    Value emit(NodeProto n, String call, List<Value> ins, int[] onnx, int[] shape) {
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

    void addWeight(String layer, String param, int[] shape, float[] data) {
        t.weights.put(layer + "." + param, new Tensor(layer + "." + param, shape, data));
    }

    Value map(NodeProto n, Value v) {
        if (!v.isMap()) {
            throw t.form(n, "reads a value of shape " + Arrays.toString(v.onnx()) + "; it needs a feature map "
                    + "[C, H, W]");
        }
        return v;
    }

    static String name(String layerName) {
        return "name=\"" + layerName + "\"";
    }
}
