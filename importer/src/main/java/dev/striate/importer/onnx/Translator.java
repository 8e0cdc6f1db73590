package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.text.JavaText;
import dev.striate.weights.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks an ONNX graph in its (topological) node order and turns each node into a Striate layer
 * ({@link LayerOps}), an alias of its input ({@code Identity}, {@code Dropout}, a flatten of a
 * vector) or a constant ({@link ConstantFolder}); anything else is refused by name.
 */
final class Translator {
    /** Words a value cannot be named: the language's keywords and the layer names written here. */
    static final Set<String> RESERVED = Set.of("model", "train", "input", "output", "labels", "true", "false",
            "conv2d", "depthwise_conv2d", "conv_transpose2d", "dense", "maxpool", "avgpool", "globalavgpool",
            "globalmaxpool", "flatten", "batchnorm", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu",
            "add", "concat", "pixel_shuffle", "pad", "linear", "same", "valid");

    /** The fewest inputs each operator takes (ONNX's operator schemas). */
    private static final Map<String, Integer> MIN_INPUTS = Map.ofEntries(Map.entry("Conv", 2),
            Map.entry("ConvTranspose", 2), Map.entry("Gemm", 2), Map.entry("MatMul", 2), Map.entry("Add", 2),
            Map.entry("BatchNormalization", 5), Map.entry("Reshape", 2), Map.entry("Gather", 2),
            Map.entry("Concat", 1), Map.entry("Pad", 1), Map.entry("Slice", 1), Map.entry("Constant", 0));

    /**
     * A value the model computes.
     *
     * @param id its identifier in the {@code .cnn} file
     * @param onnx its ONNX shape without the batch ({@code [C, 1, 1]} after a global pool)
     * @param shape its Striate shape ({@code [C]} after a global pool)
     */
    record Value(String id, int[] onnx, int[] shape) {
        boolean isMap() {
            return shape.length == 3;
        }
    }

    final OnnxFile file;
    final Map<String, Const> constants = new HashMap<>();
    final Map<String, Value> values = new HashMap<>();
    final List<Layer> layers = new ArrayList<>();
    final Map<String, Tensor> weights = new LinkedHashMap<>();
    final Map<String, Integer> readers = new HashMap<>();
    final Set<String> valueIds = new HashSet<>();
    final Set<String> layerNames = new HashSet<>();
    final Set<NodeProto> absorbed = new HashSet<>();
    /** Nodes that became no layer (folded constants, identities), as {@code name (Op)}. */
    final List<String> omitted = new ArrayList<>();
    Value input;
    boolean fixedBatchOne;

    Translator(OnnxFile file) {
        this.file = file;
    }

    /** Translates the whole graph; returns the output value. */
    Value run() throws IOException {
        GraphProto g = file.model.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), file.tensor(t));
        }
        readInput(g);
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        ConstantFolder folder = new ConstantFolder(file, new ConstantFolder.Inputs() {
            @Override
            public Const constant(String name) {
                return constants.get(name);
            }

            @Override
            public int[] valueShape(String name) {
                Value v = values.get(name);
                return v == null ? null : v.onnx();
            }
        });
        LayerOps ops = new LayerOps(this);
        for (NodeProto n : g.getNodeList()) {
            if (absorbed.contains(n)) {
                continue;
            }
            int inputs = MIN_INPUTS.getOrDefault(n.getOpType(), 1);
            if (n.getOutputCount() == 0 || n.getInputCount() < inputs) {
                throw ImportError.at(file.path, ErrorCode.IMPORT_UNREADABLE, describe(n) + " has " + n.getInputCount()
                        + " inputs and " + n.getOutputCount() + " outputs; " + n.getOpType() + " takes at least "
                        + inputs + " and 1 (a damaged file?)");
            }
            try {
                translate(folder, ops, n);
            } catch (ArithmeticException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                throw ImportError.at(file.path, ErrorCode.IMPORT_UNREADABLE, describe(n)
                        + " is malformed (a damaged file?): " + e);
            }
        }
        return output(g);
    }

    private void translate(ConstantFolder folder, LayerOps ops, NodeProto n) throws IOException {
        if (!folder.folds(n)) {
            ops.translate(n);
            return;
        }
        Const c;
        try {
            c = folder.fold(n);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw form(n, "cannot be evaluated at import time: " + e.getMessage());
        }
        if (c == null) {
            throw form(n, "has no value Striate can read");
        }
        constants.put(n.getOutput(0), c);
        omitted.add(source(n));
    }

    private Value output(GraphProto g) {
        if (g.getOutputCount() != 1) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_UNSUPPORTED_FORM, "the graph has " + g.getOutputCount()
                    + " outputs; Striate models have one");
        }
        Value out = values.get(g.getOutput(0).getName());
        if (out == null) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_UNSUPPORTED_FORM, "the graph output '"
                    + g.getOutput(0).getName() + "' is a constant, not computed from the input");
        }
        return out;
    }

    private void readInput(GraphProto g) {
        List<ValueInfoProto> real = g.getInputList().stream().filter(i -> !constants.containsKey(i.getName())).toList();
        if (real.size() != 1) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_UNSUPPORTED_FORM, "the graph has " + real.size()
                    + " inputs besides its initializers; Striate models have one");
        }
        ValueInfoProto in = real.get(0);
        TypeProto.Tensor type = in.getType().getTensorType();
        if (!in.getType().hasTensorType() || type.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_UNSUPPORTED_FORM, "input '" + in.getName()
                    + "' is not a float tensor");
        }
        if (!type.hasShape()) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_DYNAMIC_SHAPE, "input '" + in.getName()
                    + "' has no shape; Striate needs [batch, C, H, W] or [batch, N] with fixed C, H, W or N");
        }
        List<TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        if (dims.size() != 4 && dims.size() != 2) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_DYNAMIC_SHAPE, "input '" + in.getName() + "' has rank "
                    + dims.size() + "; Striate reads images [batch, C, H, W] or vectors [batch, N]");
        }
        TensorShapeProto.Dimension batch = dims.get(0);
        if (batch.hasDimValue() && batch.getDimValue() != 1) {
            throw ImportError.at(file.path, ErrorCode.IMPORT_DYNAMIC_SHAPE, "input '" + in.getName()
                    + "' has a fixed batch of " + batch.getDimValue() + "; export with a batch of 1 or a symbolic batch");
        }
        fixedBatchOne = batch.hasDimValue();
        int[] shape = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0) {
                String what = d.hasDimParam() ? "symbolic ('" + d.getDimParam() + "')" : "unknown";
                throw ImportError.at(file.path, ErrorCode.IMPORT_DYNAMIC_SHAPE, "input '" + in.getName() + "' dimension "
                        + i + " is " + what + "; only the batch (dimension 0) may be dynamic: export with fixed sizes");
            }
            shape[i - 1] = (int) d.getDimValue();
        }
        String id = RESERVED.contains(in.getName()) ? (shape.length == 3 ? "image" : "features") : in.getName();
        input = new Value(JavaText.identifier(id, "v_", RESERVED::contains, valueIds), shape, shape);
        values.put(in.getName(), input);
    }

    /**
     * A fresh {@code .cnn} identifier for a node: its module path without the trailing op
     * ({@code /layer1/conv/Conv -> layer1_conv}), lower case, else its output's name.
     */
    String valueId(NodeProto node) {
        return JavaText.identifier(modulePath(node.getName().isEmpty() ? firstOutput(node) : node.getName(),
                node.getOpType(), "_").toLowerCase(Locale.ROOT), "v_", RESERVED::contains, valueIds);
    }

    /** {@code /stem/Conv -> stem}, {@code /Relu_1 -> Relu_1}: the path's parts joined, the op's own part dropped. */
    static String modulePath(String name, String opType, String joiner) {
        List<String> parts = new ArrayList<>(Arrays.asList(name.replaceAll("^/+", "").split("/")));
        if (parts.size() > 1 && parts.get(parts.size() - 1).startsWith(opType)) {
            parts.remove(parts.size() - 1);
        }
        return String.join(joiner, parts);
    }

    /**
     * The layer name of a node with weights: the initializer's prefix when it is PyTorch's
     * {@code <module>.weight} (so names match the {@code state_dict}), else the node's name;
     * made of letters, digits, {@code _} and {@code .}, unique.
     */
    String layerName(NodeProto node, String weightName, String fallback) {
        String base;
        if (weightName.endsWith(".weight") && weightName.length() > ".weight".length()) {
            base = weightName.substring(0, weightName.length() - ".weight".length());
        } else {
            base = modulePath(node.getName(), node.getOpType(), ".");
        }
        return CnnWriter.layerName(base, fallback, layerNames);
    }

    private static String firstOutput(NodeProto node) {
        return node.getOutputCount() == 0 ? "" : node.getOutput(0);
    }

    /** {@code name (OpType)} (the output's name for an unnamed node), for comments. */
    static String source(NodeProto node) {
        return (node.getName().isEmpty() ? firstOutput(node) : node.getName()) + " (" + node.getOpType() + ")";
    }

    /** {@code node name (OpType)}, for messages. */
    static String describe(NodeProto node) {
        String name = node.getName().isEmpty() ? "(unnamed, output '" + firstOutput(node) + "')" : "'" + node.getName() + "'";
        return "node " + name + " (" + node.getOpType() + ")";
    }

    CompileException form(NodeProto node, String what) {
        return ImportError.at(file.path, ErrorCode.IMPORT_UNSUPPORTED_FORM, describe(node) + " " + what);
    }
}
