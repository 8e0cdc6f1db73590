package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.train.ReluBackward;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LayerProbe}: a layer's activations and the input gradient through the generated backward
 * pass, with the three ReLU rules, on models small enough to work out by hand.
 */
class LayerProbeTest {
    @TempDir
    Path dir;

    private Graph model(String body, String tensors) throws IOException {
        Path source = dir.resolve("m.cnn");
        Files.writeString(source, "model M {\n" + body + "\n}\n");
        Files.writeString(dir.resolve("m.weights.json"), "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"M\", "
                + "\"tensors\": [" + tensors + "]}");
        Diagnostics d = new Diagnostics();
        Graph g = Compiler.loadModel(source, null, d);
        Graph bound = Compiler.bindWeights(g, dir.resolve("m.weights.json"), d);
        d.throwIfErrors();
        return bound;
    }

    private static String tensor(String name, String shape, String values) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"dtype\": \"float32\", \"values\": " + values + "}";
    }

    @Test
    void theGradientOfAnOutputThatReadsOnePixelIsNonZeroOnlyThere() throws IOException {
        float[] w = new float[16];
        w[5] = 2.5f;
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 16; i++) {
            values.append(i > 0 ? ", " : "").append(w[i]);
        }
        Graph g = model("input image: [1, 4, 4]\nflatten\ndense(1, bias=false, activation=sigmoid)",
                tensor("dense_1.weight", "[1, 16]", values + "]"));
        LayerProbe probe = LayerProbe.of(g, "dense_1", true, ReluBackward.GRADIENT);
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i * 0.25f - 1f;
        }
        assertArrayEquals(new float[] {2.5f * x[5]}, probe.activations(x), 1e-6f, "logits: the sigmoid is left out");
        assertArrayEquals(w, probe.inputGradient(x, new float[] {1f}), 0f);
    }

    /**
     * x = (1, -1) through dense W1 = I and a ReLU (pre-activation (1, -1)), then dense W2 = (-1, 2):
     * the signal reaching the ReLU is (-1, 2). The gradient passes where the input is positive:
     * (-1, 0); deconvnet passes where the signal is positive: (0, 2); guided where both are: (0, 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dense(2, bias=false, activation=relu)", "dense(2, activation=relu)", "dense(2, bias=false)\nrelu"})
    void theThreeReluRulesDifferWhereTheSignalAndTheInputDisagreeInSign(String hidden) throws IOException {
        String first = tensor("dense_1.weight", "[2, 2]", "[1, 0, 0, 1]")
                + (hidden.equals("dense(2, activation=relu)") ? ", " + tensor("dense_1.bias", "[2]", "[0, 0]") : "");
        Graph g = model("input x: [2]\n" + hidden + "\ndense(1, bias=false)",
                first + ", " + tensor("dense_2.weight", "[1, 2]", "[-1, 2]"));
        float[] x = {1f, -1f};
        float[] one = {1f};
        assertArrayEquals(new float[] {-1f, 0f}, probe(g, ReluBackward.GRADIENT).inputGradient(x, one), 0f);
        assertArrayEquals(new float[] {0f, 2f}, probe(g, ReluBackward.DECONVNET).inputGradient(x, one), 0f);
        assertArrayEquals(new float[] {0f, 0f}, probe(g, ReluBackward.GUIDED).inputGradient(x, one), 0f);
        // x = (-1, 1): pre-activation (-1, 1), signal (-1, 2): unit 2 has both positive, so all three rules agree
        float[] y = {-1f, 1f};
        assertArrayEquals(new float[] {0f, 2f}, probe(g, ReluBackward.GRADIENT).inputGradient(y, one), 0f);
        assertArrayEquals(new float[] {0f, 2f}, probe(g, ReluBackward.GUIDED).inputGradient(y, one), 0f);
        assertArrayEquals(new float[] {0f, 2f}, probe(g, ReluBackward.DECONVNET).inputGradient(y, one), 0f);
    }

    private static LayerProbe probe(Graph g, ReluBackward rule) {
        return LayerProbe.of(g, "dense_2", false, rule);
    }

    @Test
    void anIntermediateLayerIsTheModelTruncatedThere() throws IOException {
        Graph g = model("input image: [1, 1, 3]\nconv2d(1, kernel=1, bias=false, activation=relu)\nflatten\ndense(1, bias=false)",
                tensor("conv2d_1.weight", "[1, 1, 1, 1]", "[2]") + ", " + tensor("dense_1.weight", "[1, 3]", "[1, 1, 1]"));
        LayerProbe probe = LayerProbe.of(g, "conv2d_1", false, ReluBackward.GRADIENT);
        assertEquals("[1, 1, 3]", probe.shape().toString());
        assertArrayEquals(new float[] {2f, 0f, 6f}, probe.activations(new float[] {1f, -4f, 3f}), 0f);
        assertArrayEquals(new float[] {0f, 0f, 2f}, probe.inputGradient(new float[] {1f, -4f, 3f}, new float[] {0f, 1f, 1f}),
                0f);
        assertThrows(IllegalArgumentException.class, () -> LayerProbe.of(g, "nope", false, ReluBackward.GRADIENT));
    }
}
