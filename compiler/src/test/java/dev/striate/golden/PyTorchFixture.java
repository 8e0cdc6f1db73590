package dev.striate.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One fixture written by {@code tools/reference/generate.py}: a model, its weights and PyTorch's
 * outputs for two inputs ({@code fixtures/<case>/model.cnn}, {@code model.weights.json},
 * {@code golden.json}).
 */
record PyTorchFixture(String name, Path dir, int[] inputShape, int[] outputShape, float[][] inputs,
                      float[][] outputs, double atol, double rtol) {

    /** The fixture root on the test classpath. */
    static Path root() {
        try {
            return Path.of(PyTorchFixture.class.getResource("/fixtures/cases.txt").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every case listed in {@code fixtures/cases.txt}, in order. */
    static List<String> caseNames() {
        try {
            return Files.readAllLines(root().resolve("cases.txt")).stream()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PyTorchFixture load(String name) {
        Path dir = root().resolve(name);
        try {
            JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
            return new PyTorchFixture(name, dir, ints(golden.get("input_shape")), ints(golden.get("output_shape")),
                    floats2(golden.get("inputs")), floats2(golden.get("outputs")),
                    golden.get("atol").asDouble(), golden.get("rtol").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path model() {
        return dir.resolve("model.cnn");
    }

    Path weights() {
        return dir.resolve("model.weights.json");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[][] floats2(JsonNode array) {
        List<float[]> rows = new ArrayList<>();
        for (JsonNode row : array) {
            float[] r = new float[row.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) row.get(i).asDouble();
            }
            rows.add(r);
        }
        return rows.toArray(new float[0][]);
    }
}
