package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.testing.CompiledModel;
import java.nio.charset.StandardCharsets;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Dropout;
import dev.striate.ir.Graph;
import dev.striate.testing.ReferenceInterpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PyTorch fixture, optimized for inference with verification after each pass, still
 * matches PyTorch's outputs, evaluated by the reference interpreter and by the generated code
 * compiled in memory; no batch norm or dropout is left, in the graph or in the code.
 */
class OptimizedFixturesTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    static Stream<String> cases() throws IOException {
        return Files.readAllLines(FIXTURES.resolve("cases.txt")).stream().map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The fixture's model, parsed and with its weights bound. */
    static Graph load(String name) {
        Path dir = FIXTURES.resolve(name);
        Diagnostics diagnostics = new Diagnostics();
        Graph g = Compiler.loadModel(dir.resolve("model.cnn"), null, diagnostics);
        return Compiler.bindWeights(g, dir.resolve("model.weights.json"), diagnostics);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void optimizedGraphStillMatchesPyTorch(String name) throws IOException {
        Graph graph = load(name);
        Graph optimized = PassPipeline.standard().verifyingEachPass().run(graph, Pass.Mode.INFERENCE, null);

        assertEquals(0, PassAssertions.count(optimized, BatchNorm.class), () -> "batch norm left in\n" + optimized);
        assertEquals(0, PassAssertions.count(optimized, Dropout.class), () -> "dropout left in\n" + optimized);
        assertTrue(optimized.nodes().size() <= graph.nodes().size());
        JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve(name).resolve("golden.json").toFile());
        double atol = golden.get("atol").asDouble();
        double rtol = golden.get("rtol").asDouble();
        for (int t = 0; t < golden.get("inputs").size(); t++) {
            float[] x = floats(golden.get("inputs").get(t));
            double[] want = doubles(golden.get("outputs").get(t));
            double[] got = ReferenceInterpreter.run(optimized, x);
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) {
                    fail(name + " input " + t + " element " + i + ": " + got[i] + ", PyTorch " + want[i]
                            + "\n" + optimized);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void optimizedGeneratedCodeMatchesPyTorchAndHasNoBatchNorm(String name) throws IOException {
        Graph optimized = PassPipeline.optimize(load(name), Pass.Mode.INFERENCE, null);
        List<GeneratedFile> files = JavaBackend.generate(optimized, new GenerateOptions("bench", "Optimized", false));
        String source = new String(files.get(0).content(), StandardCharsets.UTF_8);
        assertFalse(source.contains("batchnorm"), source);
        CompiledModel.Instance model = CompiledModel.compile(files).load();
        JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve(name).resolve("golden.json").toFile());
        double atol = golden.get("atol").asDouble();
        double rtol = golden.get("rtol").asDouble();
        for (int t = 0; t < golden.get("inputs").size(); t++) {
            float[] got = model.predict(floats(golden.get("inputs").get(t)));
            double[] want = doubles(golden.get("outputs").get(t));
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) {
                    fail(name + " input " + t + " element " + i + ": " + got[i] + ", PyTorch " + want[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void pipelineIsIdempotentAndDeterministic(String name) {
        Graph once = PassPipeline.optimize(load(name), Pass.Mode.INFERENCE, null);
        PassLog log = new PassLog();
        Graph twice = PassPipeline.optimize(once, Pass.Mode.INFERENCE, log);
        assertSame(once, twice, log::toString);
        Graph again = PassPipeline.optimize(load(name), Pass.Mode.INFERENCE, null);
        GenerateOptions options = new GenerateOptions("p", "M", false);
        List<GeneratedFile> a = JavaBackend.generate(once, options);
        List<GeneratedFile> b = JavaBackend.generate(again, options);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).content(), b.get(i).content(), a.get(i).relativePath());
        }
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }
}
