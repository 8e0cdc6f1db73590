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
import dev.striate.testing.CompiledModel;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/alphago/alphago_policy.cnn}, the AlphaGo policy net: 3,882,793 parameters, its last
 * bias one per board point ({@code [1, 19, 19]}), and it compiles as the scalar and the vector variant,
 * which agree on a board. (Its training is checked against PyTorch on the small model of the same
 * structure, the {@code alphago_small} gradient fixture replayed by {@code GradFixtureReplayTest}.)
 */
class AlphaGoExampleTest {
    private static final Path MODEL = Path.of("../examples/alphago/alphago_policy.cnn");

    @Test
    void hasTheParameterCountOfThePaperAndCompilesScalarAndVector() {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(MODEL, null, diagnostics);
        diagnostics.throwIfErrors();
        WeightSet weights = InitWeights.run(graph, 7);
        long total = weights.tensors().values().stream().mapToLong(t -> t.data().length).sum();
        assertEquals(3_882_793, total);
        Tensor bias = weights.tensors().get("untied_bias_1.bias");
        assertEquals(List.of(1, 19, 19), java.util.Arrays.stream(bias.shape()).boxed().toList());
        // a non-zero per-position bias, so that the compiled classes must read it
        for (int i = 0; i < bias.data().length; i++) {
            bias.data()[i] = (i % 19) * 0.05f;
        }
        Graph bound = BindWeights.run(graph, weights, SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        Graph optimized = PassPipeline.optimize(bound, Pass.Mode.INFERENCE, null);
        float[] board = new float[48 * 19 * 19];
        for (int i = 0; i < board.length; i++) {
            board[i] = (i * 7919 % 13) < 4 ? 1f : 0f;
        }
        float[] scalar = CompiledModel.compile(JavaBackend.generate(optimized,
                new GenerateOptions("examples.alphago", "AlphaGoPolicy", false))).load().predict(board);
        assertEquals(361, scalar.length);
        double sum = 0;
        for (float p : scalar) {
            assertTrue(p >= 0 && p <= 1, "a probability: " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-4);
        float[] vector = CompiledModel.compile(JavaBackend.generate(optimized,
                new GenerateOptions("examples.alphago.vector", "AlphaGoPolicy", false, GenerateOptions.Variant.VECTOR)),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load().predict(board);
        for (int i = 0; i < 361; i++) {
            assertEquals(scalar[i], vector[i], 1e-5 + 1e-3 * scalar[i], "point " + i);
        }
    }
}
