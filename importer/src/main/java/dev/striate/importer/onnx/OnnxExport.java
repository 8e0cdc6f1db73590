package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.io.AtomicFiles;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Exports a Striate model to ONNX ({@code striate export --onnx}): the model as written (shaped,
 * its weights bound, not optimized) becomes an ONNX graph ({@link ExportOps}) with the weights as
 * initializers, a symbolic batch dimension, and the class labels and input preprocessing in the
 * model's {@code metadata_props}. The bytes are a function of the model and weights only; the
 * file is written atomically, and nothing is written on an error.
 */
public final class OnnxExport {
    /** The opsets written: 11 (the oldest the importer reads from PyTorch) to 21. */
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 21;
    /** The default: the newest opset PyTorch 1.13 exports, read by every ONNX Runtime since 1.12. */
    public static final int DEFAULT_OPSET = 17;
    /** Metadata keys. */
    public static final String LABELS_KEY = "striate.labels";
    public static final String PREPROCESSING_KEY = "striate.input_preprocessing";
    public static final String MODEL_KEY = "striate.model";
    /** What one protobuf message may hold, less room for the graph. */
    static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - (64L << 20);

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExport() {
    }

    /** What an export wrote. */
    public record Written(Path file, int nodes, int initializers, long bytes) {
    }

    /**
     * Loads {@code model} (the file's only model or {@code modelName}), binds {@code weights} (null:
     * the manifest beside the model) and writes its ONNX form to {@code out} (null: {@code <stem>.onnx}
     * beside the model); an existing {@code out} is replaced only with {@code force}.
     */
    public static Written write(Path model, String modelName, Path weights, Limits limits, Path out, int opset,
                                boolean force) {
        checkOpset(new SourcePos(model.toString(), 0, 0), opset);
        Path manifest = weights != null ? weights : CompileRequest.builder(model).build().weightsPath();
        Path target = out != null ? out : besideModel(model);
        checkTarget(target, model, manifest, force);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(model, modelName, limits, diagnostics);
        Graph bound = Compiler.bindWeights(graph, manifest, WeightsFile.ReadLimits.of(limits.maxWeightsBytes(),
                Limits.MAX_WEIGHTS_BYTES_FLAG), diagnostics);
        ModelProto proto = toOnnx(bound, opset);
        byte[] bytes = proto.toByteArray();
        try {
            AtomicFiles.write(target, bytes);
        } catch (IOException e) {
            throw error(ErrorCode.IO, target, "cannot write: " + e.getMessage());
        }
        return new Written(target, proto.getGraph().getNodeCount(), proto.getGraph().getInitializerCount(), bytes.length);
    }

    /** {@code net.cnn -> net.onnx} beside the model. */
    public static Path besideModel(Path model) {
        String file = model.getFileName().toString();
        String stem = file.endsWith(".cnn") ? file.substring(0, file.length() - 4) : file;
        return model.resolveSibling(stem + ".onnx");
    }

    private static void checkOpset(SourcePos at, int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new CompileException(Diagnostic.error(ErrorCode.EXPORT_OPSET, at, "cannot export opset " + opset
                    + "; opsets " + MIN_OPSET + " to " + MAX_OPSET + " are written (default " + DEFAULT_OPSET + ")"));
        }
    }

    /** Refuses an output that is a folder, one of the model's own files, or (without force) an existing file. */
    private static void checkTarget(Path target, Path model, Path manifest, boolean force) {
        Path t = target.toAbsolutePath().normalize();
        for (Path own : List.of(model, manifest, manifest.resolveSibling(WeightsFile.dataFileName(manifest)))) {
            if (t.equals(own.toAbsolutePath().normalize())) {
                throw error(ErrorCode.IO, target, "is the model's own file " + own + "; write the ONNX model elsewhere "
                        + "(-o OUT.onnx)");
            }
        }
        if (Files.isDirectory(target)) {
            throw error(ErrorCode.IO, target, "is a folder; give the file to write (-o OUT.onnx)");
        }
        if (Files.exists(target) && !force) {
            throw error(ErrorCode.IO, target, "already exists; pass --force to replace it (or -o to write elsewhere)");
        }
    }

    /**
     * The ONNX model of {@code bound} (a shaped graph with its weights bound, as written: not
     * optimized) at {@code opset}.
     */
    public static ModelProto toOnnx(Graph bound, int opset) {
        return toOnnx(bound, opset, MAX_WEIGHT_BYTES);
    }

    /**
     * As {@link #toOnnx(Graph, int)} with another weight limit (tests: E622 without 2 GiB of weights).
     * The weights' size is summed, overflow-checked, before any message is built.
     */
    static ModelProto toOnnx(Graph bound, int opset, long maxWeightBytes) {
        SourcePos at = bound.inputs().isEmpty() ? SourcePos.NONE : bound.inputs().get(0).pos();
        checkOpset(at, opset);
        long weightBytes = 0;
        for (Tensor t : bound.weights().values()) {
            weightBytes = Math.addExact(weightBytes, Math.multiplyExact(4L, (long) t.size()));
        }
        if (weightBytes > maxWeightBytes) {
            throw new CompileException(Diagnostic.error(ErrorCode.EXPORT_TOO_LARGE, at, "model " + bound.name() + " has "
                    + weightBytes + " bytes of weights; one ONNX file holds at most " + maxWeightBytes
                    + " (protobuf's 2 GiB less room for the graph)"));
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName(bound.name());
        ExportOps ops = new ExportOps(bound, opset, g);
        for (Node n : bound.neededNodes()) {
            ops.add(n);
        }
        for (Node in : bound.inputs()) {
            g.addInput(valueInfo(in.name(), in.shape()));
        }
        for (String o : bound.outputs()) {
            String value = ops.value(o);
            if (!value.equals(o)) {
                // a view (dropout, a linear activation) or the input itself: name the output after the model's node
                g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(o).addInput(value).addOutput(o));
            }
            g.addOutput(valueInfo(o, bound.node(o).shape()));
        }
        checkUniqueNames(bound, g, at);
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion(opset)).setProducerName("striate")
                .setDomain("dev.striate").setModelVersion(1)
                .setDocString("Model " + bound.name() + ", exported by 'striate export --onnx'.")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g);
        metadata(m, MODEL_KEY, bound.name());
        if (!bound.labels().isEmpty()) {
            ArrayNode labels = JSON.createArrayNode();
            bound.labels().forEach(labels::add);
            metadata(m, LABELS_KEY, json(labels));
        }
        metadata(m, PREPROCESSING_KEY, json(preprocessing(bound)));
        return m.build();
    }

    /**
     * What reaches the model's input: the layout, the rescale and normalize layers inside the graph
     * (listed for the reader; ONNX Runtime applies them), and the pixel normalization training
     * applied outside the model (recorded in the weights), which the caller applies to pixel values
     * {@code 0..255} before the input, as the generated class's {@code predictPixels} does.
     */
    private static ObjectNode preprocessing(Graph g) {
        ObjectNode p = JSON.createObjectNode();
        Shape in = g.inputs().get(0).shape();
        p.put("layout", in.rank() == 3 ? "NCHW" : "N" + "C".repeat(in.rank()));
        ArrayNode shape = p.putArray("input_shape");
        for (int d : in.dims()) {
            shape.add(d);
        }
        ArrayNode inModel = p.putArray("in_model");
        for (Node n : g.neededNodes()) {
            if (n.op() instanceof ChannelAffineOp) {
                ObjectNode layer = inModel.addObject().put("layer", n.name()).put("op", n.op().kind());
                if (n.op() instanceof Rescale r) {
                    layer.put("scale", r.scale()).put("offset", r.offset());
                } else if (n.op() instanceof Normalize z) {
                    z.mean().forEach(layer.putArray("mean")::add);
                    z.std().forEach(layer.putArray("std")::add);
                }
            }
        }
        Normalize pixels = g.pixelNormalization();
        if (pixels == null) {
            p.putNull("pixel_normalization");
        } else {
            ObjectNode n = p.putObject("pixel_normalization");
            n.put("applies_to", "pixel values 0..255, channel-major, before the model's input: (x - mean[c]) / std[c]");
            pixels.mean().forEach(n.putArray("mean")::add);
            pixels.std().forEach(n.putArray("std")::add);
        }
        return p;
    }

    private static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata that cannot be written as JSON", e);
        }
    }

    private static void metadata(ModelProto.Builder m, String key, String value) {
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
    }

    /** ONNX's IR version for each opset (the release that introduced the opset). */
    static long irVersion(int opset) {
        return opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    }

    private static ValueInfoProto valueInfo(String name, Shape shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        s.addDimBuilder().setDimParam("batch");
        for (int d : shape.dims()) {
            s.addDimBuilder().setDimValue(d);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /** ONNX values and nodes are named once: refuses layer names that collide with a value the export derives from another. */
    private static void checkUniqueNames(Graph bound, GraphProto.Builder g, SourcePos at) {
        Set<String> seen = new HashSet<>();
        for (ValueInfoProto in : g.getInputList()) {
            seen.add(in.getName());
        }
        for (TensorProto t : g.getInitializerList()) {
            unique(seen, t.getName(), bound, at);
        }
        Set<String> nodes = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            unique(nodes, n.getName(), bound, at);
            for (String o : n.getOutputList()) {
                unique(seen, o, bound, at);
            }
        }
    }

    private static void unique(Set<String> seen, String name, Graph bound, SourcePos at) {
        if (!seen.add(name)) {
            throw new CompileException(Diagnostic.error(ErrorCode.EXPORT_UNSUPPORTED, at, "model " + bound.name()
                    + ": two ONNX values or nodes would be named '" + name + "'; rename the layer whose name it is"));
        }
    }

    private static CompileException error(ErrorCode code, Path file, String message) {
        return ImportError.at(file, code, message);
    }
}
