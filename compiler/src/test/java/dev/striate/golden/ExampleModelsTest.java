package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled model under {@code examples/} (each model of a file that holds several) compiles (seeded weights, optimized as the facade
 * does), runs, and keeps every generated method under HotSpot's 8,000-byte limit.
 */
class ExampleModelsTest {
    static final Path EXAMPLES = Path.of("../examples");

    private static final Pattern MODEL = Pattern.compile("(?m)^model\\s+(\\w+)");

    static Stream<Arguments> models() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<Path> paths = files.filter(p -> p.toString().endsWith(".cnn")).sorted().toList();
            assertTrue(paths.size() >= 4, "bundled examples: " + paths);
            List<Arguments> models = new ArrayList<>();
            for (Path path : paths) {
                Matcher m = MODEL.matcher(Files.readString(path));
                List<String> names = new ArrayList<>();
                while (m.find()) {
                    names.add(m.group(1));
                }
                assertTrue(!names.isEmpty(), path + ": no model found");
                for (String name : names) {
                    models.add(Arguments.of(path, names.size() == 1 ? null : name));
                }
            }
            return models.stream();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void compilesRunsAndStaysUnderTheMethodLimit(Path model, String name) {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(model, name, diagnostics);
        graph = BindWeights.run(graph, InitWeights.run(graph, 42), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        graph = PassPipeline.optimize(graph, Pass.Mode.INFERENCE, null);
        CompiledModel compiled = CompiledModel.compile(JavaBackend.generate(graph,
                new GenerateOptions("examples", graph.name(), false)));
        float[] input = new float[compiled.constant("INPUT_SIZE")];
        for (int i = 0; i < input.length; i++) {
            input[i] = (i % 7) / 7f;
        }
        float[] out = compiled.load().predict(input);
        assertEquals(compiled.constant("OUTPUT_SIZE"), out.length);
        for (float v : out) {
            assertTrue(Float.isFinite(v), model + ": non-finite output");
        }
        for (Map.Entry<String, Integer> e : BytecodeSizes.methodSizes(compiled.classFiles()).entrySet()) {
            assertTrue(e.getValue() < BytecodeSizes.HUGE_METHOD_LIMIT,
                    model + ": " + e.getKey() + " has " + e.getValue() + " bytes of bytecode");
        }
    }
}
