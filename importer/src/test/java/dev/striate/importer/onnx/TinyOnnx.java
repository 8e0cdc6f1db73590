package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds small ONNX models in tests with the protobuf builders (no Python needed). */
final class TinyOnnx {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");
    private long opset = 13;
    private final List<StringStringEntryProto> metadata = new java.util.ArrayList<>();

    /** An input {@code x} of the given dims: an Integer is a fixed size, a String a symbolic one. */
    TinyOnnx input(Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) d));
        }
        graph.addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))));
        return this;
    }

    TinyOnnx opset(long v) {
        opset = v;
        return this;
    }

    TinyOnnx weight(String name, int[] dims, float... values) {
        graph.addInitializer(tensor(name, dims).addAllFloatData(floats(values)));
        return this;
    }

    /** An initializer of any element type, its bytes given raw. */
    TinyOnnx rawWeight(String name, int[] dims, int dataType, byte[] raw) {
        graph.addInitializer(tensor(name, dims).setDataType(dataType)
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw)));
        return this;
    }

    /** An initializer whose data lives in {@code location} (relative to the model's folder). */
    TinyOnnx externalWeight(String name, int[] dims, String location) {
        graph.addInitializer(tensor(name, dims).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)));
        return this;
    }

    private static TensorProto.Builder tensor(String name, int[] dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (int d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static List<Float> floats(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    /** A node; attributes as name, value pairs (Long, long[], Float or String). */
    TinyOnnx node(String op, String name, List<String> inputs, String output, Object... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (int i = 0; i < attributes.length; i += 2) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) attributes[i]);
            Object v = attributes[i + 1];
            if (v instanceof Long l) {
                a.setType(AttributeProto.AttributeType.INT).setI(l);
            } else if (v instanceof long[] ls) {
                a.setType(AttributeProto.AttributeType.INTS);
                for (long l : ls) {
                    a.addInts(l);
                }
            } else if (v instanceof Float f) {
                a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
            } else {
                a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8((String) v));
            }
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    /** A {@code metadata_props} entry of the model. */
    TinyOnnx metadata(String key, String value) {
        metadata.add(StringStringEntryProto.newBuilder().setKey(key).setValue(value).build());
        return this;
    }

    TinyOnnx output(String name) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name));
        return this;
    }

    ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("TinyOnnx").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).addAllMetadataProps(metadata).build();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, model().toByteArray());
        return file;
    }
}
