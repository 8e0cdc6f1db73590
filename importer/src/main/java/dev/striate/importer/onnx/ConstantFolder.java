package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates, at import time, the nodes whose inputs are all known: {@code Constant} nodes and the
 * shape arithmetic PyTorch's exporter writes around {@code Reshape} and {@code Pad}
 * ({@code Shape}, {@code Gather}, {@code Unsqueeze}, {@code Squeeze}, {@code Concat},
 * {@code Reshape}, {@code Slice}, {@code Transpose}, {@code Cast}, {@code ConstantOfShape}).
 * {@code Shape} of a model value is known too: its batch dimension is {@link Const#BATCH}.
 */
final class ConstantFolder {
    /** The ops this class evaluates. */
    static final Set<String> OPS = Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat",
            "Reshape", "Slice", "Transpose", "Cast", "ConstantOfShape");

    /** Reads a node input: the constant, or null when it is a model value (or absent). */
    interface Inputs {
        Const constant(String name);

        /** The ONNX shape (without batch) of a model value, or null. */
        int[] valueShape(String name);
    }

    private final OnnxFile file;
    private final Inputs inputs;

    ConstantFolder(OnnxFile file, Inputs inputs) {
        this.file = file;
        this.inputs = inputs;
    }

    /** True when the node is evaluated here: a constant op whose inputs are all constants. */
    boolean folds(NodeProto node) {
        if (!OPS.contains(node.getOpType())) {
            return false;
        }
        if (node.getOpType().equals("Shape")) {
            return inputs.valueShape(node.getInput(0)) != null || inputs.constant(node.getInput(0)) != null;
        }
        for (String in : node.getInputList()) {
            if (!in.isEmpty() && inputs.constant(in) == null) {
                return false;
            }
        }
        return true;
    }

    /** The node's (first) output. */
    Const fold(NodeProto node) throws IOException {
        switch (node.getOpType()) {
            case "Constant":
                return constantNode(node);
            case "Shape":
                return shape(node);
            case "Gather":
                return in(node, 0).gather(in(node, 1), (int) Attributes.integer(node, "axis", 0));
            case "Unsqueeze":
                return in(node, 0).unsqueeze(axes(node));
            case "Squeeze":
                return in(node, 0).squeeze(axes(node));
            case "Concat": {
                List<Const> parts = new ArrayList<>();
                for (int i = 0; i < node.getInputCount(); i++) {
                    parts.add(in(node, i));
                }
                return Const.concat(parts, (int) Attributes.integer(node, "axis", 0));
            }
            case "Reshape":
                return in(node, 0).reshapeTo(in(node, 1));
            case "Slice":
                return slice(node);
            case "Transpose":
                return in(node, 0).transpose(Attributes.integers(node, "perm", new long[0]));
            case "Cast": {
                long to = Attributes.integer(node, "to", 1);
                return in(node, 0).cast(to != 1 && to != 10 && to != 11 && to != 16);
            }
            case "ConstantOfShape": {
                AttributeProto value = Attributes.find(node, "value");
                double fill = value == null ? 0 : file.tensor(value.getT()).values()[0];
                return Const.filled(in(node, 0), fill);
            }
            default:
                throw new IllegalStateException(node.getOpType());
        }
    }

    private Const in(NodeProto node, int i) {
        return inputs.constant(node.getInput(i));
    }

    private Const constantNode(NodeProto node) throws IOException {
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return file.tensor(a.getT());
                case "value_float":
                    return Const.scalar(a.getF());
                case "value_int":
                    return Const.scalar(a.getI());
                case "value_floats": {
                    double[] v = new double[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    return Const.vector(v);
                }
                case "value_ints": {
                    double[] v = new double[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    return Const.vector(v);
                }
                default:
                    break;
            }
        }
        return null;
    }

    private Const shape(NodeProto node) {
        Const c = inputs.constant(node.getInput(0));
        double[] dims;
        if (c != null) {
            dims = new double[c.rank()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = c.dims()[i];
            }
        } else {
            int[] s = inputs.valueShape(node.getInput(0));
            dims = new double[s.length + 1];
            dims[0] = Const.BATCH;
            for (int i = 0; i < s.length; i++) {
                dims[i + 1] = s[i];
            }
        }
        int rank = dims.length;
        long start = Attributes.integer(node, "start", 0);
        long end = Attributes.integer(node, "end", rank);
        int from = (int) Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        int to = (int) Math.max(from, Math.min(rank, end < 0 ? end + rank : end));
        return Const.vector(java.util.Arrays.copyOfRange(dims, from, to));
    }

    /** Axes of Unsqueeze/Squeeze: an attribute before opset 13, the second input after. */
    private long[] axes(NodeProto node) {
        if (node.getInputCount() > 1 && !node.getInput(1).isEmpty()) {
            return in(node, 1).longs();
        }
        return Attributes.integers(node, "axes", new long[0]);
    }

    private Const slice(NodeProto node) {
        if (file.opset < 10) {
            return in(node, 0).slice(Attributes.integers(node, "starts", new long[0]),
                    Attributes.integers(node, "ends", new long[0]), Attributes.integers(node, "axes", new long[0]),
                    new long[0]);
        }
        return in(node, 0).slice(in(node, 1).longs(), in(node, 2).longs(), optional(node, 3), optional(node, 4));
    }

    private long[] optional(NodeProto node, int i) {
        return node.getInputCount() > i && !node.getInput(i).isEmpty() ? in(node, i).longs() : new long[0];
    }
}
