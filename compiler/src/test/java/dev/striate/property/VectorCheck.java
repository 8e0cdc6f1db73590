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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a model written in the language with random weights into the vector variant and checks two
 * random inputs against the reference interpreter (double precision); for the vector kernel tests.
 */
final class VectorCheck {
    private VectorCheck() {
    }

    /**
     * Writes {@code model} (model {@code name}) to {@code dir}, weights drawn from {@code seed}, compiles
     * it with {@code --vector}, checks it and returns the generated Java source.
     */
    static String compileAndCheck(Path dir, String name, String model, int inputSize, long seed) throws IOException {
        Path source = dir.resolve(name + ".cnn");
        Files.writeString(source, model, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        Random random = new Random(seed);
        Path weights = dir.resolve(name + ".weights.json");
        WeightsFile.write(weights, RandomValidModelsTest.randomWeights(graph, random));
        Graph bound = Compiler.bindWeights(graph, weights, diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                .sourceOutput(dir.resolve("out")).vector(true).build());
        CompiledModel.Instance instance = CompiledModel.compile(result.files(),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
        for (int t = 0; t < 2; t++) {
            float[] x = new float[inputSize];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            double[] want = ReferenceInterpreter.run(bound, x);
            float[] got = instance.predict(x);
            assertEquals(want.length, got.length, "output size");
            Tolerance.assertClose(want, got, name + " (seed " + seed + "), input " + t);
        }
        return new String(result.files().get(0).content(), StandardCharsets.UTF_8);
    }

    /** {@code layer=how} per line, from the vector layer methods' Javadoc ({@code Layer {@code a}: ...; how.}). */
    static String paths(String java) {
        Matcher layer = Pattern.compile("Layer \\{@code (\\w+)\\}: [^\\n]*; ([^\\n.;]*)").matcher(java);
        StringBuilder kinds = new StringBuilder();
        while (layer.find()) {
            kinds.append(layer.group(1)).append('=').append(layer.group(2)).append('\n');
        }
        return kinds.toString();
    }
}
