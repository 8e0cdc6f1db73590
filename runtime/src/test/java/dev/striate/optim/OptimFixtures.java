package dev.striate.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the PyTorch fixtures written by {@code tools/reference/optim_fixtures.py}. */
final class OptimFixtures {
    private OptimFixtures() {
    }

    static JsonNode read(String file) {
        try (InputStream in = OptimFixtures.class.getResourceAsStream("/optim/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture /optim/" + file
                        + "; run /usr/bin/python3 tools/reference/optim_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(String file) {
        List<JsonNode> out = new ArrayList<>();
        read(file).get("cases").forEach(out::add);
        return out;
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static float[][] tensors(JsonNode arrays) {
        float[][] out = new float[arrays.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats(arrays.get(i));
        }
        return out;
    }
}
