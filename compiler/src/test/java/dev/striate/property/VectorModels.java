package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Shared steps of the vector-kernel property tests: a model source with random weights compiled as
 * the vector variant, and its predictions checked against the reference interpreter.
 */
final class VectorModels {
    private VectorModels() {
    }

    /** A compiled vector-variant model: its graph with the weights bound, and its generated source. */
    record Built(Graph bound, CompileResult result, String java) {
    }

    /** Writes {@code model} and random weights (drawn from {@code random}) to {@code dir} and compiles it with {@code --vector}. */
    static Built build(Path dir, String model, Random random) throws IOException {
        Path source = dir.resolve("model.cnn");
        Files.writeString(source, model, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        WeightsFile.write(dir.resolve("model.weights.json"), RandomValidModelsTest.randomWeights(graph, random));
        Graph bound = Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                .sourceOutput(dir.resolve("out")).vector(true).build());
        return new Built(bound, result, new String(result.files().get(0).content(), StandardCharsets.UTF_8));
    }

    /**
     * Loads the vector class (Vector API module on) and checks {@code inputs} random inputs of
     * {@code size} floats in [-1, 1) against the reference interpreter.
     */
    static void assertMatchesReference(Built built, int size, Random random, int inputs, String label) throws IOException {
        CompiledModel.Instance instance = CompiledModel.compile(built.result().files(),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
        for (int t = 0; t < inputs; t++) {
            float[] x = new float[size];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            double[] want = ReferenceInterpreter.run(built.bound(), x);
            float[] got = instance.predict(x);
            assertEquals(want.length, got.length, "output size");
            Tolerance.assertClose(want, got, label + ", input " + t);
        }
    }
}
