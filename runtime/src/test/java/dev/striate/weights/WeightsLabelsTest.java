package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code labels} of a manifest: written, read back exactly, malformed ones refused. */
class WeightsLabelsTest {
    @TempDir
    Path dir;

    private static final List<Tensor> TENSORS = List.of(new Tensor("d.bias", new int[] {2}, new float[] {5, 6}));

    @Test
    void labelsRoundTripInOrder() throws IOException {
        Path m = dir.resolve("m.weights.json");
        List<String> labels = List.of("zebra", "Äpfel \"quoted\"", "a\\b");
        WeightsFile.write(m, WeightSet.of("M", TENSORS).withLabels(labels));
        assertEquals(labels, WeightsFile.read(m).labels());
        assertTrue(Files.readString(m).contains("\"labels\""), Files.readString(m));
    }

    @Test
    void noLabelsWritesNoField() throws IOException {
        Path m = dir.resolve("m.weights.json");
        WeightsFile.write(m, WeightSet.of("M", TENSORS));
        assertEquals(List.of(), WeightsFile.read(m).labels());
        assertTrue(!Files.readString(m).contains("labels"), Files.readString(m));
    }

    private WeightsException fails(String labels) throws IOException {
        Path m = dir.resolve("bad.weights.json");
        Files.writeString(m, "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"M\", \"labels\": " + labels
                + ", \"tensors\": [{\"name\": \"d.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [5, 6]}]}");
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(m));
        assertEquals(MALFORMED, e.kind());
        return e;
    }

    @Test
    void malformedLabelsAreRefusedWithTheReason() throws IOException {
        assertEquals("\"labels\" must be a non-empty array of strings, got \"cat\"", fails("\"cat\"").getMessage());
        assertEquals("\"labels\" must be a non-empty array of strings, got []", fails("[]").getMessage());
        assertEquals("label #1 must be a non-empty string, got 3", fails("[\"a\", 3]").getMessage());
        assertEquals("label #0 must be a non-empty string, got \"\"", fails("[\"\"]").getMessage());
        assertEquals("label \"a\\u000ab\" is listed twice", fails("[\"a\\nb\", \"a\\nb\"]").getMessage());
    }
}
