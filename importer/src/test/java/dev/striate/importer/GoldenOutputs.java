package dev.striate.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.diag.Diagnostics;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The differential check of the importer fixture tests: compiles an imported model through the
 * whole pipeline, compiles the class in memory, runs it on a {@code golden.json}'s inputs and
 * requires each output within {@code atol + rtol * |expected|} of the reference's.
 */
public final class GoldenOutputs {
    private GoldenOutputs() {
    }

    /** Checks the imported {@code files} against {@code golden}; {@code name} labels failures and the class's package. */
    public static void check(String name, String pkg, OnnxImport.Written files, Path golden) throws IOException {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(files.model(), null, diagnostics);
        graph = Compiler.bindWeights(graph, files.weights(), diagnostics);
        assertFalse(diagnostics.hasErrors(), diagnostics.sorted().toString());
        CompiledModel compiled = CompiledModel.compile(Compiler.generateClass(graph,
                new GenerateOptions(pkg, "Model", false)));
        CompiledModel.Instance model = compiled.load();
        JsonNode json = new ObjectMapper().readTree(golden.toFile());
        double atol = json.get("atol").asDouble();
        double rtol = json.get("rtol").asDouble();
        String source = Files.readString(files.model());
        for (int s = 0; s < json.get("inputs").size(); s++) {
            float[] input = floats(json.get("inputs").get(s));
            float[] expected = floats(json.get("outputs").get(s));
            float[] actual = model.predict(input);
            assertEquals(expected.length, actual.length, name + ": output size");
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs(actual[i] - expected[i]);
                if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                    fail(name + " sample " + s + " element " + i + ": got " + actual[i] + ", expected " + expected[i]
                            + " (error " + err + ")\n" + source);
                }
            }
        }
    }

    private static float[] floats(JsonNode row) {
        float[] r = new float[row.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) row.get(i).asDouble();
        }
        return r;
    }
}
