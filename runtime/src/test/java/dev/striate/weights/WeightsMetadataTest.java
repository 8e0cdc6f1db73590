package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional {@code labels} and {@code normalize} of a manifest: written, read back exactly,
 * malformed ones refused with the reason.
 */
class WeightsMetadataTest {
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

    @Test
    void normalizationRoundTripsBitForBit() throws IOException {
        Path m = dir.resolve("m.weights.json");
        Normalization n = Normalization.afterRescale(255, new double[] {0.485, 0.456, 0.406},
                new double[] {0.229, 0.224, 0.225});
        WeightsFile.write(m, WeightSet.of("M", TENSORS).withNormalization(n));
        Normalization back = WeightsFile.read(m).normalization();
        assertArrayEquals(n.mean(), back.mean());
        assertArrayEquals(n.std(), back.std());
        assertNull(WeightsFile.read(writePlain()).normalization());
    }

    private Path writePlain() throws IOException {
        Path m = dir.resolve("plain.weights.json");
        WeightsFile.write(m, WeightSet.of("M", TENSORS));
        return m;
    }

    @Test
    void malformedNormalizationIsRefusedWithTheReason() throws IOException {
        assertEquals("\"normalize\" must be an object with \"mean\" and \"std\", got 3",
                failsWith("\"normalize\": 3").getMessage());
        assertEquals("\"normalize\" needs \"std\": an array of 1 to 4096 numbers, got none",
                failsWith("\"normalize\": {\"mean\": [1]}").getMessage());
        assertEquals("\"normalize\" has 2 means but 1 standard deviations",
                failsWith("\"normalize\": {\"mean\": [1, 2], \"std\": [1]}").getMessage());
        assertEquals("\"normalize\" \"mean\" #0 must be a number, got \"a\"",
                failsWith("\"normalize\": {\"mean\": [\"a\"], \"std\": [1]}").getMessage());
        assertEquals("\"normalize\": channel 0: std must be positive and finite and mean finite, got mean 1.0, std 0.0",
                failsWith("\"normalize\": {\"mean\": [1], \"std\": [0]}").getMessage());
        assertEquals("\"normalize\": channel 0: std must be positive and finite and mean finite, got mean 1.0,"
                + " std Infinity", failsWith("\"normalize\": {\"mean\": [1], \"std\": [1e300]}").getMessage());
    }

    private WeightsException fails(String labels) throws IOException {
        return failsWith("\"labels\": " + labels);
    }

    private WeightsException failsWith(String field) throws IOException {
        Path m = dir.resolve("bad.weights.json");
        Files.writeString(m, "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"M\", " + field
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
