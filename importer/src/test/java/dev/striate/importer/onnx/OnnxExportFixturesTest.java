package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of {@code striate export --onnx}: every PyTorch fixture of the compiler
 * ({@code compiler/src/test/resources/fixtures}, each op of the language with weights and PyTorch's
 * outputs) is exported at opsets 11, 13, 17, 18 and 21 and run by ONNX Runtime on the golden
 * inputs, as one batch; its outputs must match PyTorch's and the generated class's within
 * {@code atol + rtol * |expected|} (1e-5, 1e-4).
 */
class OnnxExportFixturesTest {
    static final Path FIXTURES = Path.of("../compiler/src/test/resources/fixtures");
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-4;
    static final List<Integer> OPSETS = List.of(11, 13, 17, 18, 21);

    static Stream<String> cases() throws IOException {
        return Files.readAllLines(FIXTURES.resolve("cases.txt")).stream().map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The fixture's model, shaped, its weights bound. */
    static Graph load(String name) {
        Path dir = FIXTURES.resolve(name);
        Diagnostics diagnostics = new Diagnostics();
        Graph g = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
        return Compiler.bindWeights(g, dir.resolve("model.weights.json"), diagnostics);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportedModelMatchesPyTorchAndTheGeneratedClass(String name) throws Exception {
        Graph graph = load(name);
        JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve(name).resolve("golden.json").toFile());
        float[][] inputs = rows(golden.get("inputs"));
        float[][] pytorch = rows(golden.get("outputs"));
        CompiledModel.Instance generated = CompiledModel.compile(Compiler.generateClass(graph,
                new GenerateOptions("export." + name, "Model", false))).load();
        for (int opset : OPSETS) {
            byte[] onnx = OnnxExport.toOnnx(graph, opset).toByteArray();
            float[][] ort = OrtRun.run(onnx, graph.inputs().get(0).shape().dims(), inputs);
            for (int t = 0; t < inputs.length; t++) {
                String what = name + " opset " + opset + " input " + t;
                close(what + " vs PyTorch", pytorch[t], ort[t]);
                close(what + " vs the generated class", generated.predict(inputs[t]), ort[t]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportIsByteIdenticalForTheSameModel(String name) {
        byte[] once = OnnxExport.toOnnx(load(name), OnnxExport.DEFAULT_OPSET).toByteArray();
        byte[] again = OnnxExport.toOnnx(load(name), OnnxExport.DEFAULT_OPSET).toByteArray();
        assertArrayEquals(once, again);
    }

    static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": output size");
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) {
                fail(what + ", element " + i + ": ONNX Runtime " + got[i] + ", expected " + want[i]);
            }
        }
    }

    static float[][] rows(JsonNode array) {
        float[][] v = new float[array.size()][];
        for (int t = 0; t < v.length; t++) {
            JsonNode row = array.get(t);
            v[t] = new float[row.size()];
            for (int i = 0; i < row.size(); i++) {
                v[t][i] = (float) row.get(i).asDouble();
            }
        }
        return v;
    }
}
