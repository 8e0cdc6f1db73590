package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad ONNX input: each is one coded error naming what is wrong, and nothing is written to the
 * output folder.
 */
class OnnxErrorsTest {
    @TempDir
    Path tmp;

    private Path out() {
        return tmp.resolve("out");
    }

    /** Imports {@code model}, expects one error of {@code code}, and checks the output folder stays empty. */
    private String refused(Path model, ErrorCode code) throws IOException {
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(model, out(), null));
        assertEquals(code, e.diagnostics().get(0).code(), e.getMessage());
        if (Files.exists(out())) {
            try (Stream<Path> files = Files.list(out())) {
                assertEquals(List.of(), files.toList(), "nothing may be written");
            }
        }
        return e.getMessage();
    }

    private static TinyOnnx convNet() {
        return new TinyOnnx().input("N", 1, 4, 4).weight("w", new int[] {2, 1, 1, 1}, 1f, -1f)
                .node("Conv", "conv", List.of("x", "w"), "c");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = convNet().node("Relu", "relu", List.of("c"), "y").output("y").model().toByteArray();
        Path file = tmp.resolve("cut.onnx");
        Files.write(file, Arrays.copyOf(whole, whole.length - 9));
        assertTrue(refused(file, ErrorCode.IMPORT_UNREADABLE).contains("cut.onnx"));
    }

    @Test
    void fileOfAnotherFormat() throws IOException {
        Path file = tmp.resolve("model.onnx");
        Files.writeString(file, "model SeedCnn {\n    input image: [1, 28, 28]\n    relu\n}\n");
        assertTrue(refused(file, ErrorCode.IMPORT_UNREADABLE).contains("not an ONNX model"));
    }

    @Test
    void pytorchCheckpointGetsTheExportHint() throws IOException {
        Path file = tmp.resolve("model.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
        }
        String message = refused(file, ErrorCode.IMPORT_UNREADABLE);
        assertTrue(message.contains("torch.onnx.export(model.eval(), torch.randn(1, C, H, W), \"net.onnx\")")
                && message.contains("st.save_file(torch.load('net.pt'"), message);
    }

    @Test
    void unknownOpIsNamedWithTheSupportedList() throws IOException {
        Path file = convNet().node("Celu", "/act/Celu", List.of("c"), "y").output("y").write(tmp.resolve("celu.onnx"));
        String message = refused(file, ErrorCode.IMPORT_UNSUPPORTED_OP);
        assertTrue(message.contains("'/act/Celu' (Celu)"), message);
        assertTrue(message.contains("Supported: Conv, ConvTranspose, Gemm"), message);
    }

    @Test
    void clipIsNotImportedAsSomethingElse() throws IOException {
        Path file = convNet().node("Clip", "relu6", List.of("c"), "y").output("y").write(tmp.resolve("clip.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_UNSUPPORTED_OP).contains("(Clip)"));
    }

    @Test
    void dynamicSpatialDimension() throws IOException {
        Path file = new TinyOnnx().input("N", 1, "height", 4).weight("w", new int[] {2, 1, 1, 1}, 1f, -1f)
                .node("Conv", "conv", List.of("x", "w"), "y").output("y").write(tmp.resolve("dyn.onnx"));
        String message = refused(file, ErrorCode.IMPORT_DYNAMIC_SHAPE);
        assertTrue(message.contains("dimension 2 is symbolic ('height')"), message);
    }

    @Test
    void externalDataOutsideTheModelFolder() throws IOException {
        Files.write(tmp.resolve("secret.bin"), new byte[8]);
        Path file = new TinyOnnx().input("N", 1, 4, 4).externalWeight("w", new int[] {2, 1, 1, 1}, "../secret.bin")
                .node("Conv", "conv", List.of("x", "w"), "y").output("y").write(tmp.resolve("m/ext.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_EXTERNAL_DATA).contains("outside the model's folder"));
        Path absolute = new TinyOnnx().input("N", 1, 4, 4)
                .externalWeight("w", new int[] {2, 1, 1, 1}, tmp.resolve("secret.bin").toString())
                .node("Conv", "conv", List.of("x", "w"), "y").output("y").write(tmp.resolve("m/abs.onnx"));
        refused(absolute, ErrorCode.IMPORT_EXTERNAL_DATA);
        Path missing = new TinyOnnx().input("N", 1, 4, 4).externalWeight("w", new int[] {2, 1, 1, 1}, "none.bin")
                .node("Conv", "conv", List.of("x", "w"), "y").output("y").write(tmp.resolve("m/missing.onnx"));
        refused(missing, ErrorCode.IMPORT_EXTERNAL_DATA);
    }

    @Test
    void externalDataBesideTheModelIsRead() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-2f);
        Files.createDirectories(tmp.resolve("m"));
        Files.write(tmp.resolve("m/w.bin"), data.array());
        Path file = new TinyOnnx().input("N", 1, 4, 4).externalWeight("w", new int[] {2, 1, 1, 1}, "w.bin")
                .node("Conv", "conv", List.of("x", "w"), "y").output("y").write(tmp.resolve("m/ext.onnx"));
        OnnxImport.Written written = OnnxImport.write(file, out(), null);
        float[] w = WeightsFile.read(written.weights()).tensors().get("conv.weight").data();
        assertArrayEquals(new float[] {0.5f, -2f}, w);
    }

    @Test
    void ceilModeThatChangesTheOutputIsRefused() throws IOException {
        Path file = new TinyOnnx().input("N", 1, 5, 5)
                .node("MaxPool", "pool", List.of("x"), "y", "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
                        "ceil_mode", 1L)
                .output("y").write(tmp.resolve("ceil.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM).contains("ceil_mode"));
    }

    @Test
    void depthToSpaceInDcrModeIsRefused() throws IOException {
        Path file = new TinyOnnx().input("N", 4, 2, 2).node("DepthToSpace", "d2s", List.of("x"), "y", "blocksize", 2L)
                .output("y").write(tmp.resolve("dcr.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM).contains("mode DCR"));
    }

    @Test
    void softmaxOverAFlattenedMapBeforeOpset13IsRefused() throws IOException {
        Path file = new TinyOnnx().opset(11).input("N", 3, 2, 2).node("Softmax", "sm", List.of("x"), "y")
                .output("y").write(tmp.resolve("softmax.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM).contains("opset 11"));
    }

    @Test
    void transposeOutsideAChannelSoftmaxIsRefused() throws IOException {
        Path file = new TinyOnnx().input("N", 3, 2, 2).node("Transpose", "t", List.of("x"), "y", "perm", new long[] {0, 2, 3, 1})
                .node("Relu", "r", List.of("y"), "z").output("z").write(tmp.resolve("transpose.onnx"));
        assertTrue(refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM).contains("'t' (Transpose)"));
    }

    @Test
    void reshapeThatIsNotAFlattenIsRefused() throws IOException {
        Path file = new TinyOnnx().input("N", 4, 2, 2).weight("shape", new int[] {4}, 0, 2, 2, 4)
                .node("Reshape", "r", List.of("x", "shape"), "y").output("y").write(tmp.resolve("reshape.onnx"));
        String message = refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM);
        assertTrue(message.contains("only the flattening"), message);
    }

    @Test
    void badModelName() throws IOException {
        Path file = convNet().node("Relu", "relu", List.of("c"), "y").output("y").write(tmp.resolve("ok.onnx"));
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(file, out(), "System"));
        assertEquals(ErrorCode.BAD_CLASS_NAME, e.diagnostics().get(0).code());
    }
}
