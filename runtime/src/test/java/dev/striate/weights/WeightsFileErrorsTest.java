package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.CORRUPT;
import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static dev.striate.weights.WeightsException.Kind.NON_FINITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a weights file can be wrong, with the exact message and the tensor it names. */
class WeightsFileErrorsTest {
    @TempDir
    Path dir;

    private Path manifest() {
        return dir.resolve("m.weights.json");
    }

    private Path blob() {
        return dir.resolve("m.weights.bin");
    }

    /** A valid file: w [2, 2] at bytes 0..16, b [2] at 16..24. */
    private String writeValid() throws IOException {
        WeightsFile.write(manifest(), WeightSet.of("M", List.of(
                new Tensor("d.weight", new int[] {2, 2}, new float[] {1, 2, 3, 4}),
                new Tensor("d.bias", new int[] {2}, new float[] {5, 6}))));
        return Files.readString(manifest());
    }

    private WeightsException fails(String json) throws IOException {
        Files.writeString(manifest(), json);
        return assertThrows(WeightsException.class, () -> WeightsFile.read(manifest()));
    }

    private static void check(WeightsException e, WeightsException.Kind kind, String tensor, String message) {
        assertEquals(message, e.getMessage());
        assertEquals(kind, e.kind());
        assertEquals(tensor, e.tensor());
    }

    private static String header(String tensors) {
        return "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"M\", \"tensors\": [" + tensors + "]}";
    }

    @Test
    void truncatedBlobNamesTheFirstTensorPastTheEnd() throws IOException {
        writeValid();
        byte[] bytes = Files.readAllBytes(blob());
        Files.write(blob(), Arrays.copyOf(bytes, 20));
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(manifest()));
        check(e, CORRUPT, "d.bias", "d.bias: bytes 16..24 lie past the end of m.weights.bin (20 bytes); "
                + "the file is truncated");
    }

    @Test
    void corruptedByteFailsTheChecksumOfItsTensor() throws IOException {
        String json = writeValid();
        byte[] bytes = Files.readAllBytes(blob());
        bytes[17] ^= 1;
        Files.write(blob(), bytes);
        String expected = json.split("\"sha256\": \"")[2].substring(0, 64);
        String found = Float32.sha256(bytes, 16, 8);
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(manifest()));
        check(e, CORRUPT, "d.bias", "d.bias: checksum mismatch for bytes 16..24 of m.weights.bin (expected sha256 "
                + expected + ", found " + found + "); the file is corrupted");
    }

    @Test
    void missingBlob() throws IOException {
        writeValid();
        Files.delete(blob());
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(manifest()));
        check(e, CORRUPT, "d.weight", "d.weight: data file m.weights.bin not found");
    }

    @Test
    void blobTensorsNeedADataField() throws IOException {
        String json = writeValid().replace("\"data\": \"m.weights.bin\",", "");
        check(fails(json), MALFORMED, "d.weight",
                "d.weight: stored in a data file, but the manifest has no \"data\" field");
    }

    @Test
    void wrongVersion() throws IOException {
        check(fails(writeValid().replace("\"version\": 1", "\"version\": 2")), MALFORMED, null,
                "unsupported version 2 (this Striate reads version 1)");
    }

    @Test
    void unknownFormat() throws IOException {
        check(fails(writeValid().replace("striate-weights", "onnx")), MALFORMED, null,
                "unknown format \"onnx\" (expected \"striate-weights\")");
    }

    @Test
    void missingTopLevelField() throws IOException {
        check(fails(writeValid().replace("\"model\": \"M\",", "")), MALFORMED, null, "missing field \"model\"");
    }

    @Test
    void missingTensorField() throws IOException {
        check(fails(writeValid().replace("\"offset\": 16, ", "")), MALFORMED, "d.bias",
                "d.bias: missing field \"offset\"");
        check(fails(writeValid().replace("\"shape\": [2, 2], ", "")), MALFORMED, "d.weight",
                "d.weight: missing field \"shape\"");
        check(fails(writeValid().replace("\"dtype\": \"float32\", \"offset\": 16", "\"offset\": 16")), MALFORMED,
                "d.bias", "d.bias: missing field \"dtype\"");
    }

    @Test
    void tensorWithoutName() throws IOException {
        check(fails(header("{\"shape\": [1], \"dtype\": \"float32\", \"values\": [1]}")), MALFORMED, null,
                "tensor #0 has no \"name\"");
    }

    @Test
    void shapeDisagreesWithLength() throws IOException {
        check(fails(writeValid().replace("\"shape\": [2, 2]", "\"shape\": [2, 3]")), MALFORMED, "d.weight",
                "d.weight: shape [2, 3] needs 24 bytes (6 float32 values), but \"length\" is 16");
    }

    @Test
    void badShape() throws IOException {
        check(fails(writeValid().replace("\"shape\": [2, 2]", "\"shape\": [2, 0]")), MALFORMED, "d.weight",
                "d.weight: \"shape\" must be a non-empty array of positive integers, got [2,0]");
    }

    @Test
    void badDtype() throws IOException {
        check(fails(writeValid().replaceFirst("float32", "float16")), MALFORMED, "d.weight",
                "d.weight: unsupported dtype \"float16\" (only \"float32\" is supported)");
    }

    @Test
    void inlineValuesCountMustMatchTheShape() throws IOException {
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [1, 2, 3]}")),
                MALFORMED, "t.bias", "t.bias: shape [2] holds 2 values, but \"values\" has 3");
    }

    @Test
    void inlineValuesMustBeNumbers() throws IOException {
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [1, \"x\"]}")),
                MALFORMED, "t.bias", "t.bias: \"values\" element 1 is not a number: \"x\"");
    }

    @Test
    void inlineAndBlobFieldsTogether() throws IOException {
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [1], \"dtype\": \"float32\", \"values\": [1], "
                + "\"offset\": 0}")), MALFORMED, "t.bias",
                "t.bias: give either inline \"values\" or \"offset\", \"length\" and \"sha256\", not both");
    }

    @Test
    void inlineValuesNeedNoDataFile() throws IOException {
        Files.writeString(manifest(), header("{\"name\": \"t.bias\", \"shape\": [2], \"dtype\": \"float32\", "
                + "\"values\": [0.5, -1.25]}"));
        Tensor t = WeightsFile.read(manifest()).tensors().get("t.bias");
        assertEquals("[0.5, -1.25]", Arrays.toString(t.data()));
    }

    @Test
    void nanInTheBlobNamesTheFirstBadIndex() throws IOException {
        WeightsFile.write(manifest(), WeightSet.of("M", List.of(
                new Tensor("c.weight", new int[] {1, 2, 2, 2}, new float[] {0, 1, 2, 3, 4, 5, 6, 7}))));
        byte[] bytes = Files.readAllBytes(blob());
        byte[] nan = WeightsFileTest.le(Float.NaN, Float.POSITIVE_INFINITY);
        System.arraycopy(nan, 0, bytes, 5 * 4, 8);
        Files.write(blob(), bytes);
        Files.writeString(manifest(), Files.readString(manifest()).replaceAll("[0-9a-f]{64}", Float32.sha256(bytes, 0, 32)));
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(manifest()));
        check(e, NON_FINITE, "c.weight", "c.weight: element 5 (index [0, 1, 0, 1]) is NaN; weights must be finite");
    }

    @Test
    void infinityInline() throws IOException {
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [3], \"dtype\": \"float32\", \"values\": [1, 2, 1e39]}")),
                NON_FINITE, "t.bias", "t.bias: element 2 (index [2]) is Infinity; weights must be finite");
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [-Infinity, 1]}")),
                NON_FINITE, "t.bias", "t.bias: element 0 (index [0]) is -Infinity; weights must be finite");
        check(fails(header("{\"name\": \"t.bias\", \"shape\": [2], \"dtype\": \"float32\", \"values\": [1, NaN]}")),
                NON_FINITE, "t.bias", "t.bias: element 1 (index [1]) is NaN; weights must be finite");
    }

    @Test
    void duplicateTensor() throws IOException {
        String t = "{\"name\": \"t.bias\", \"shape\": [1], \"dtype\": \"float32\", \"values\": [1]}";
        check(fails(header(t + ", " + t)), MALFORMED, "t.bias", "t.bias: the manifest lists this tensor twice");
    }

    @Test
    void badChecksumText() throws IOException {
        check(fails(writeValid().replaceFirst("[0-9a-f]{64}", "abc")), MALFORMED, "d.weight",
                "d.weight: \"sha256\" must be 64 hex digits, got \"abc\"");
    }

    @Test
    void negativeOffset() throws IOException {
        check(fails(writeValid().replace("\"offset\": 16", "\"offset\": -16")), MALFORMED, "d.bias",
                "d.bias: \"offset\" must be a non-negative integer, got -16");
    }

    @Test
    void notJson() throws IOException {
        WeightsException e = fails("{\"format\": \"striate-weights\",\n  \"version\" 1}");
        assertEquals(MALFORMED, e.kind());
        assertEquals("the manifest is not valid JSON (line 2, column 13): Unexpected character ('1' (code 49)): "
                + "was expecting a colon to separate field name and value", e.getMessage());
    }

    @Test
    void notAnObject() throws IOException {
        check(fails("[1, 2]"), MALFORMED, null, "the manifest must be a JSON object");
        check(fails(header("").replace("[]", "{}")), MALFORMED, null, "\"tensors\" must be an array");
    }

    @Test
    void uppercaseChecksumIsAccepted() throws IOException {
        String json = writeValid();
        String sha = json.split("\"sha256\": \"")[1].substring(0, 64);
        Files.writeString(manifest(), json.replace(sha, sha.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(2, WeightsFile.read(manifest()).tensors().size());
    }
}
