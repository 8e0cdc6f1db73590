package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor decoding: the element types and layouts ONNX files use for weights. */
class OnnxFileTest {
    @TempDir
    Path tmp;

    /** Values from IEEE 754's binary16 table (1.0, -2.0, the largest, the smallest subnormal, -0.0, infinity, 1/3). */
    @Test
    void halfPrecision() {
        assertEquals(1.0f, OnnxFile.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, OnnxFile.halfToFloat((short) 0xC000));
        assertEquals(65504f, OnnxFile.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, OnnxFile.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, OnnxFile.halfToFloat((short) 0x0400));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(OnnxFile.halfToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, OnnxFile.halfToFloat((short) 0x7C00));
        assertEquals(0.333251953125f, OnnxFile.halfToFloat((short) 0x3555));
    }

    @Test
    void rawFloat16AndBfloat16AndInlineTensors() throws IOException {
        OnnxFile file = OnnxFile.read(new TinyOnnx().input("N", 1, 2, 2).weight("w", new int[] {1, 1, 1, 1}, 1f)
                .node("Conv", "c", List.of("x", "w"), "y").output("y").write(tmp.resolve("m.onnx")));
        ByteBuffer half = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00).putShort((short) 0xC000);
        TensorProto f16 = TensorProto.newBuilder().setName("h").addDims(2).setDataType(TensorProto.DataType.FLOAT16_VALUE)
                .setRawData(ByteString.copyFrom(half.array())).build();
        assertArrayEquals(new double[] {1.0, -2.0}, file.tensor(f16).values());
        TensorProto bf16 = TensorProto.newBuilder().setName("b").addDims(1).setDataType(TensorProto.DataType.BFLOAT16_VALUE)
                .addInt32Data(0x3FC0).build();
        assertArrayEquals(new double[] {1.5}, file.tensor(bf16).values());
        TensorProto ints = TensorProto.newBuilder().setName("i").addDims(2).setDataType(TensorProto.DataType.INT64_VALUE)
                .addInt64Data(-1).addInt64Data(576).build();
        assertArrayEquals(new double[] {-1, 576}, file.tensor(ints).values());
    }

    /** Older exporters list the initializers among the graph inputs too: they are not model inputs. */
    @Test
    void initializersListedAsInputsAreNotInputs() throws IOException {
        Path model = new TinyOnnx().input("N", 1, 2, 2).weight("w", new int[] {1, 1, 1, 1}, 2f)
                .node("Conv", "c", List.of("x", "w"), "y").output("y").write(tmp.resolve("m.onnx"));
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(model));
        ModelProto withInput = proto.toBuilder().setGraph(proto.getGraph().toBuilder()
                .addInput(ValueInfoProto.newBuilder().setName("w"))).build();
        Files.write(model, withInput.toByteArray());
        String source = OnnxImport.read(model, "M").source();
        assertTrue(source.contains("input x: [1, 2, 2]"), source);
    }
}
