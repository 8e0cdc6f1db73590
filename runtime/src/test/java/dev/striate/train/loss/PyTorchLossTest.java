package dev.striate.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.train.Loss;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays {@code runtime/src/test/resources/loss/*.json} (written by
 * {@code tools/reference/loss_fixtures.py}): every loss value and every gradient must match
 * PyTorch's to 1e-6 relative (absolute below 1).
 */
class PyTorchLossTest {
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    Stream<DynamicTest> softmaxCrossEntropy() throws IOException {
        return replay("softmax_cross_entropy.json", SoftmaxCrossEntropy::new);
    }

    @TestFactory
    Stream<DynamicTest> sigmoidBinaryCrossEntropy() throws IOException {
        return replay("sigmoid_binary_cross_entropy.json", SigmoidBinaryCrossEntropy::new);
    }

    @TestFactory
    Stream<DynamicTest> meanSquaredError() throws IOException {
        return replay("mean_squared_error.json", MeanSquaredError::new);
    }

    @Test
    void fixturesCoverLabelsDenseTargetsAndExtremeLogits() throws IOException {
        for (String file : List.of("softmax_cross_entropy.json", "sigmoid_binary_cross_entropy.json",
                "mean_squared_error.json")) {
            List<String> names = new ArrayList<>();
            read(file).get("cases").forEach(c -> names.add(c.get("name").asText()));
            assertTrue(names.stream().anyMatch(n -> n.contains("extreme1000")), file);
            assertTrue(names.stream().anyMatch(n -> n.contains("extreme80")), file);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("labels") || n.startsWith("sparse")), file);
        }
    }

    private static Stream<DynamicTest> replay(String file, Supplier<Loss> loss) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : read(file).get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(loss.get(), c)));
        }
        assertTrue(tests.size() >= 5, file + " holds too few cases");
        return tests.stream();
    }

    private static void check(Loss loss, JsonNode c) {
        int n = c.get("n").asInt();
        int k = c.get("k").asInt();
        float[] logits = floats(c.get("logits"));
        int[] labels = c.has("labels") ? ints(c.get("labels")) : null;
        float[] dense = c.has("dense") ? floats(c.get("dense")) : null;
        float[] grad = new float[n * k];
        double value = loss.forwardBackward(logits, labels, dense, n, k, grad);
        double want = c.get("loss").asDouble();
        assertEquals(want, value, TOLERANCE * Math.max(1, Math.abs(want)), "loss");
        JsonNode wantGrad = c.get("grad");
        for (int i = 0; i < n * k; i++) {
            double g = wantGrad.get(i).asDouble();
            assertEquals(g, grad[i], TOLERANCE * Math.max(1, Math.abs(g)), "gradient " + i);
        }
    }

    static JsonNode read(String file) throws IOException {
        try (InputStream in = PyTorchLossTest.class.getResourceAsStream("/loss/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /loss/" + file
                        + "; run /usr/bin/python3 tools/reference/loss_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
