package dev.striate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A PyTorch golden file ({@code src/test/resources/golden/<case>.json}, copied from the
 * compiler's reference fixtures): inputs, the outputs PyTorch computed for them, and the
 * tolerances a float32 implementation must meet.
 */
record Golden(String name, List<float[]> inputs, List<float[]> outputs, double atol, double rtol) {

    static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file for " + name);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            return new Golden(name, arrays(root.get("inputs")), arrays(root.get("outputs")),
                    root.get("atol").asDouble(), root.get("rtol").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code model} on every input and checks each output element within the tolerances. */
    void check(UnaryOperator<float[]> model) {
        assertEquals(inputs.size(), outputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            float[] actual = model.apply(inputs.get(i).clone());
            float[] expected = outputs.get(i);
            assertEquals(expected.length, actual.length, name + " output size");
            for (int j = 0; j < expected.length; j++) {
                double tolerance = atol + rtol * Math.abs(expected[j]);
                if (!(Math.abs(actual[j] - expected[j]) <= tolerance)) {
                    fail(name + " input " + i + " output " + j + ": expected " + expected[j] + ", got " + actual[j]
                            + " (tolerance " + tolerance + ")");
                }
            }
        }
    }

    private static List<float[]> arrays(JsonNode node) {
        List<float[]> list = new ArrayList<>();
        for (JsonNode array : node) {
            float[] values = new float[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) array.get(i).asDouble();
            }
            list.add(values);
        }
        return list;
    }
}
