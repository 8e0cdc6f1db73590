package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX files of opsets 18-21 in forms Striate's exporter does not write. What is read is checked
 * numerically by {@link OnnxFixturesTest} ({@code helper_op18}, {@code helper_op21}, built with
 * onnx.helper, PyTorch goldens); here: the import's text for them, and what is refused (Split,
 * Resize, Upsample, Gemm with transA, Pad over repeated axes, a 4-bit initializer), each with a
 * coded error at the file naming the node or tensor, nothing written.
 */
class OnnxNewOpsetsTest {
    @TempDir
    Path tmp;

    @Test
    void opset18FormsAreImported() throws IOException {
        for (String c : List.of("helper_op18", "helper_op21")) {
            String source = OnnxImport.read(OnnxFixturesTest.root().resolve(c).resolve("model.onnx"), null).source();
            assertTrue(source.contains("(ONNX opset " + c.substring(c.length() - 2)), source);
            assertTrue(source.contains("pad_hw = pad(x, [1, 2, 2, 1])") && source.contains("// pad_hw (Pad)"), source);
            assertTrue(source.contains("reduce_max = globalmaxpool(v_relu)"), source);
            assertTrue(source.contains("reduce_mean = globalavgpool(v_relu)"), source);
            assertTrue(source.contains("dense(v_add, 6, name=\"gemm_alpha_beta\")"), source);
            assertTrue(source.contains("dense(gemm_alpha_beta, 3, name=\"gemm_trans_b\")"), source);
            assertTrue(source.contains("w1_to_float (Cast)") && source.contains("identity (Identity)")
                    && source.contains("wg_const (Constant)"), source);
        }
    }

    /**
     * The onnx.helper fixtures (what PyTorch never writes) are not checked only against our reading of
     * the spec: ONNX Runtime runs each on the golden inputs and must give the PyTorch goldens.
     */
    @Test
    void onnxRuntimeAgreesWithTheHelperFixturesGoldens() throws Exception {
        for (String c : List.of("tf_same_op11", "tf_same_op13", "helper_op18", "helper_op21")) {
            Path dir = OnnxFixturesTest.root().resolve(c);
            com.fasterxml.jackson.databind.JsonNode golden = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve("golden.json").toFile());
            int[] shape = new com.fasterxml.jackson.databind.ObjectMapper().treeToValue(golden.get("input_shape"),
                    int[].class);
            float[][] expected = OnnxExportFixturesTest.rows(golden.get("outputs"));
            float[][] ort = OrtRun.run(Files.readAllBytes(dir.resolve("model.onnx")), shape,
                    OnnxExportFixturesTest.rows(golden.get("inputs")));
            for (int t = 0; t < expected.length; t++) {
                for (int i = 0; i < expected[t].length; i++) {
                    float tolerance = 1e-5f + 1e-4f * Math.abs(expected[t][i]);
                    assertTrue(Math.abs(ort[t][i] - expected[t][i]) <= tolerance, c + " sample " + t + " output " + i
                            + ": ONNX Runtime " + ort[t][i] + ", PyTorch " + expected[t][i]);
                }
            }
        }
    }

    @Test
    void splitIsRefusedByName() throws IOException {
        Path file = new TinyOnnx().opset(18).input("N", 4, 2, 2)
                .node("Split", "split_in_two", List.of("x"), "y", "axis", 1L, "num_outputs", 2L).output("y")
                .write(tmp.resolve("split.onnx"));
        String message = refused(file, ErrorCode.IMPORT_UNSUPPORTED_OP);
        assertTrue(message.contains("'split_in_two' (Split) has no Striate layer. Supported: Conv"), message);
    }

    @Test
    void resizeAndUpsampleAreRefusedByName() throws IOException {
        Path resize = new TinyOnnx().opset(19).input("N", 2, 3, 3).weight("scales", new int[] {4}, 1, 1, 2, 2)
                .node("Resize", "upscale", List.of("x", "", "scales"), "y", "mode", "nearest").output("y")
                .write(tmp.resolve("resize.onnx"));
        assertTrue(refused(resize, ErrorCode.IMPORT_UNSUPPORTED_OP).contains("'upscale' (Resize)"));
        Path upsample = new TinyOnnx().opset(9).input("N", 2, 3, 3).weight("scales", new int[] {4}, 1, 1, 2, 2)
                .node("Upsample", "up", List.of("x", "scales"), "y").output("y").write(tmp.resolve("upsample.onnx"));
        assertTrue(refused(upsample, ErrorCode.IMPORT_UNSUPPORTED_OP).contains("'up' (Upsample)"));
    }

    @Test
    void gemmWithTransAIsRefused() throws IOException {
        Path file = new TinyOnnx().opset(21).input("N", 2).weight("b", new int[] {2, 3}, 1, 2, 3, 4, 5, 6)
                .node("Gemm", "gemm_ta", List.of("x", "b"), "y", "transA", 1L).output("y")
                .write(tmp.resolve("gemm.onnx"));
        String message = refused(file, ErrorCode.IMPORT_UNSUPPORTED_FORM);
        assertTrue(message.contains("'gemm_ta' (Gemm)") && message.contains("transA must be 0"), message);
    }

    @Test
    void padOverSelectedAxes() throws IOException {
        Path ok = new TinyOnnx().opset(18).input("N", 1, 3, 3).weight("pads", new int[] {2}, 1, 2)
                .weight("axes", new int[] {1}, -1).node("Pad", "pad_w", List.of("x", "pads", "", "axes"), "y")
                .output("y").write(tmp.resolve("pad_w.onnx"));
        String source = OnnxImport.read(ok, null).source();
        assertTrue(source.contains("input x: [1, 3, 3]") && source.contains("pad([0, 0, 1, 2])"), source);
        OnnxImport.write(ok, tmp.resolve("pad_w"), null); // the compiler accepts it: a [1, 3, 6] output
        Path repeated = new TinyOnnx().opset(18).input("N", 1, 3, 3).weight("pads", new int[] {4}, 1, 1, 1, 1)
                .weight("axes", new int[] {2}, 3, -1).node("Pad", "pad_twice", List.of("x", "pads", "", "axes"), "y")
                .output("y").write(tmp.resolve("pad_twice.onnx"));
        String message = refused(repeated, ErrorCode.IMPORT_UNSUPPORTED_FORM);
        assertTrue(message.contains("'pad_twice' (Pad) pads axes [3, -1] with 4 amounts"), message);
        Path channels = new TinyOnnx().opset(18).input("N", 1, 3, 3).weight("pads", new int[] {2}, 1, 1)
                .weight("axes", new int[] {1}, 1).node("Pad", "pad_c", List.of("x", "pads", "", "axes"), "y")
                .output("y").write(tmp.resolve("pad_c.onnx"));
        assertTrue(refused(channels, ErrorCode.IMPORT_UNSUPPORTED_FORM).contains("'pad_c' (Pad)"));
    }

    /** ONNX's INT4 (IR 10, opset 21) weights: no float reading of them, refused naming the tensor. */
    @Test
    void int4InitializerIsRefused() throws IOException {
        Path file = new TinyOnnx().opset(21).input("N", 1, 2, 2).rawWeight("w4", new int[] {2, 1, 1, 1}, 22,
                new byte[] {0x21}).node("Conv", "conv", List.of("x", "w4"), "y").output("y")
                .write(tmp.resolve("int4.onnx"));
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(file, tmp.resolve("out"), null));
        assertTrue(e.getMessage().contains("int4.onnx") && e.getMessage().contains("'w4'"), e.getMessage());
        assertTrue(e.diagnostics().get(0).code().name().startsWith("IMPORT_"), e.getMessage());
    }

    private String refused(Path model, ErrorCode code) throws IOException {
        Path out = tmp.resolve("out");
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(model, out, null));
        assertEquals(code, e.diagnostics().get(0).code(), e.getMessage());
        assertTrue(e.getMessage().startsWith(model.toString()) || e.getMessage().contains(model.getFileName().toString()),
                "positioned at the file: " + e.getMessage());
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList(), "nothing may be written");
            }
        }
        return e.getMessage();
    }
}
