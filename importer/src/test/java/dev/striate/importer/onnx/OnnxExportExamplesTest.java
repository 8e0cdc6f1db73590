package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example models ({@code examples/}), with their shipped weights or seeded ones, exported and
 * run by ONNX Runtime on random inputs: outputs match the generated class (atol 1e-5, rtol 1e-4).
 * The AlphaGo policy net covers the untied bias (an Add of the stored tensor) and a softmax over
 * 361 points. Also: the metadata as ONNX Runtime reads it, and the opset range.
 */
class OnnxExportExamplesTest {
    static final Path EXAMPLES = Path.of("../examples");

    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".cnn")).map(p -> EXAMPLES.relativize(p).toString())
                    .sorted().toList().stream();
        }
    }

    /** The example with its weights beside it, else seeded ones. */
    static Graph load(String example) {
        Path model = EXAMPLES.resolve(example);
        Diagnostics diagnostics = new Diagnostics();
        Graph g = Compiler.loadModel(model, null, diagnostics);
        Path weights = model.resolveSibling(model.getFileName().toString().replace(".cnn", ".weights.json"));
        if (Files.exists(weights)) {
            return Compiler.bindWeights(g, weights, diagnostics);
        }
        Graph bound = BindWeights.run(g, InitWeights.run(g, 7), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        return bound;
    }

    @Test
    void everyExampleIsHere() throws IOException {
        assertTrue(examples().count() >= 6, examples().toList().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleMatchesTheGeneratedClass(String example) throws Exception {
        Graph graph = load(example);
        int[] shape = graph.inputs().get(0).shape().dims();
        Random random = new Random(example.hashCode());
        long params = graph.weights().values().stream().mapToLong(w -> w.size()).sum();
        // two inputs (a batch) for all but the AlphaGo net, whose generated class takes seconds an image
        float[][] inputs = new float[params > 1_000_000 ? 1 : 2][graph.inputs().get(0).shape().size()];
        for (float[] x : inputs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
        }
        CompiledModel.Instance generated = CompiledModel.compile(Compiler.generateClass(graph,
                new GenerateOptions("export.example", "Model", false))).load();
        float[][] ort = OrtRun.run(OnnxExport.toOnnx(graph, OnnxExport.DEFAULT_OPSET).toByteArray(), shape, inputs);
        for (int t = 0; t < inputs.length; t++) {
            OnnxExportFixturesTest.close(example + " input " + t, generated.predict(inputs[t]), ort[t]);
        }
    }

    @Test
    void labelsAndPreprocessingAreInTheMetadataOnnxRuntimeReads() throws Exception {
        Graph lenet = load("mnist/lenet5.cnn").withPixelNormalization(new Normalize(List.of(33.3f), List.of(78.6f)));
        Map<String, String> meta = OrtRun.metadata(OnnxExport.toOnnx(lenet, 13).toByteArray());
        ObjectMapper json = new ObjectMapper();
        JsonNode labels = json.readTree(meta.get(OnnxExport.LABELS_KEY));
        assertEquals(10, labels.size());
        assertEquals("7", labels.get(7).asText());
        assertEquals("LeNet5", meta.get(OnnxExport.MODEL_KEY));
        JsonNode pre = json.readTree(meta.get(OnnxExport.PREPROCESSING_KEY));
        assertEquals("NCHW", pre.get("layout").asText());
        assertEquals("[1,28,28]", pre.get("input_shape").toString());
        assertEquals("rescale", pre.get("in_model").get(0).get("op").asText());
        assertEquals(1 / 255f, (float) pre.get("in_model").get(0).get("scale").asDouble());
        assertEquals(33.3f, (float) pre.get("pixel_normalization").get("mean").get(0).asDouble());
        assertEquals(78.6f, (float) pre.get("pixel_normalization").get("std").get(0).asDouble());
        Map<String, String> plain = OrtRun.metadata(OnnxExport.toOnnx(load("resnet/tiny_resnet.cnn"), 17).toByteArray());
        assertTrue(json.readTree(plain.get(OnnxExport.PREPROCESSING_KEY)).get("pixel_normalization").isNull(), plain.toString());
    }

    /** Layer names may hold any printable text: one that is another value's ONNX name is refused, naming it. */
    @Test
    void aLayerNamedLikeAnotherValueIsRefusedByName(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("clash.cnn"), "model Clash {\n    input x: [8]\n"
                + "    dense(4, name=\"d\")\n    relu(name=\"d.weight\")\n}\n");
        Diagnostics diagnostics = new Diagnostics();
        Graph g = Compiler.loadModel(model, null, diagnostics);
        Graph bound = BindWeights.run(g, InitWeights.run(g, 1), SourcePos.NONE, diagnostics);
        CompileException e = assertThrows(CompileException.class, () -> OnnxExport.toOnnx(bound, 17));
        assertEquals(ErrorCode.EXPORT_UNSUPPORTED, e.diagnostics().get(0).code(), e.getMessage());
        assertTrue(e.getMessage().contains("'d.weight'"), e.getMessage());
    }

    @Test
    void anOpsetOutsideTheRangeIsRefused() {
        Graph lenet = load("mnist/lenet5.cnn");
        for (int opset : new int[] {10, 22}) {
            CompileException e = assertThrows(CompileException.class, () -> OnnxExport.toOnnx(lenet, opset));
            assertEquals(ErrorCode.EXPORT_OPSET, e.diagnostics().get(0).code(), e.getMessage());
        }
    }

    /**
     * E622: the weights' size is checked before the model is built, against protobuf's 2 GiB less 64 MiB; the
     * same check with a limit just below and at LeNet-5's weight bytes (no 2 GiB of weights needed).
     */
    @Test
    void weightsOverTheFileLimitAreRefusedBeforeBuilding() {
        Graph lenet = load("mnist/lenet5.cnn");
        long bytes = lenet.weights().values().stream().mapToLong(t -> 4L * t.size()).sum();
        assertTrue(bytes > 100_000, "LeNet-5 has " + bytes + " bytes of weights");
        OnnxExport.toOnnx(lenet, OnnxExport.DEFAULT_OPSET, bytes); // exactly at the limit: written
        CompileException e = assertThrows(CompileException.class,
                () -> OnnxExport.toOnnx(lenet, OnnxExport.DEFAULT_OPSET, bytes - 1));
        assertEquals(ErrorCode.EXPORT_TOO_LARGE, e.diagnostics().get(0).code(), e.getMessage());
        assertTrue(e.getMessage().contains("has " + bytes + " bytes of weights; one ONNX file holds at most "
                + (bytes - 1)), e.getMessage());
        assertEquals(Integer.MAX_VALUE - (64L << 20), OnnxExport.MAX_WEIGHT_BYTES, "protobuf's limit less 64 MiB");
    }
}
