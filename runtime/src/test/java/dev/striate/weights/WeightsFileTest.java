package dev.striate.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsFileTest {
    @TempDir
    Path dir;

    static WeightSet sample() {
        return WeightSet.of("Tiny", List.of(
                new Tensor("conv2d_1.weight", new int[] {2, 1, 1, 2}, new float[] {0.5f, -1.25f, 3e-8f, Float.MAX_VALUE}),
                new Tensor("conv2d_1.bias", new int[] {2}, new float[] {0.1f, -0f}),
                new Tensor("dense_1.weight", new int[] {1, 3}, new float[] {1, 2, Float.MIN_VALUE})));
    }

    static void assertSameTensors(WeightSet expected, WeightSet actual) {
        assertEquals(expected.modelName(), actual.modelName());
        assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
        for (Tensor t : expected.tensors().values()) {
            Tensor u = actual.tensors().get(t.name());
            assertArrayEquals(t.shape(), u.shape(), t.name());
            for (int i = 0; i < t.size(); i++) {
                assertEquals(Float.floatToRawIntBits(t.data()[i]), Float.floatToRawIntBits(u.data()[i]),
                        t.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void roundTripsThroughTheBlobBitForBit() throws IOException {
        Path m = dir.resolve("tiny.weights.json");
        WeightsFile.write(m, sample());
        assertTrue(Files.isRegularFile(dir.resolve("tiny.weights.bin")));
        assertEquals(9 * 4, Files.size(dir.resolve("tiny.weights.bin")));
        assertSameTensors(sample(), WeightsFile.read(m));
    }

    @Test
    void roundTripsInlineValuesBitForBit() throws IOException {
        Path m = dir.resolve("tiny.weights.json");
        WeightsFile.write(m, sample(), WriteOptions.allInline());
        assertFalse(Files.exists(dir.resolve("tiny.weights.bin")), "all inline: no blob");
        assertFalse(Files.readString(m).contains("\"data\""));
        assertSameTensors(sample(), WeightsFile.read(m));
    }

    @Test
    void inlineValuesRoundTripForManyRandomBitPatterns() throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        float[] v = new float[20_000];
        for (int i = 0; i < v.length; i++) {
            do {
                v[i] = Float.intBitsToFloat(rng.nextInt());
            } while (!Float.isFinite(v[i]));
        }
        WeightSet set = WeightSet.of("R", List.of(new Tensor("r.weight", new int[] {100, 200}, v)));
        Path m = dir.resolve("r.weights.json");
        WeightsFile.write(m, set, WriteOptions.allInline());
        assertSameTensors(set, WeightsFile.read(m));
    }

    @Test
    void mixesInlineAndBlobTensorsBySize() throws IOException {
        Path m = dir.resolve("tiny.weights.json");
        WeightsFile.write(m, sample(), WriteOptions.inlineUpTo(3));
        String json = Files.readString(m);
        assertTrue(json.contains("{\"name\": \"conv2d_1.bias\", \"shape\": [2], \"dtype\": \"float32\", "
                + "\"values\": [0.1, -0.0]}"), json);
        assertEquals(4 * 4, Files.size(dir.resolve("tiny.weights.bin")));
        assertSameTensors(sample(), WeightsFile.read(m));
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        Path m = dir.resolve("model.weights.json");
        WeightsFile.write(m, WeightSet.of("SeedCnn", List.of(
                new Tensor("d.weight", new int[] {1, 2}, new float[] {1, 2}),
                new Tensor("d.bias", new int[] {1}, new float[] {0}))));
        byte[] w = le(1, 2);
        String expected = "{\n"
                + "  \"format\": \"striate-weights\",\n"
                + "  \"version\": 1,\n"
                + "  \"model\": \"SeedCnn\",\n"
                + "  \"data\": \"model.weights.bin\",\n"
                + "  \"tensors\": [\n"
                + "    {\"name\": \"d.weight\", \"shape\": [1, 2], \"dtype\": \"float32\", \"offset\": 0, \"length\": 8, "
                + "\"sha256\": \"" + Float32.sha256(w, 0, 8) + "\"},\n"
                + "    {\"name\": \"d.bias\", \"shape\": [1], \"dtype\": \"float32\", \"offset\": 8, \"length\": 4, "
                + "\"sha256\": \"" + Float32.sha256(le(0), 0, 4) + "\"}\n"
                + "  ]\n"
                + "}\n";
        assertEquals(expected, Files.readString(m));
        assertArrayEquals(concat(w, le(0)), Files.readAllBytes(dir.resolve("model.weights.bin")));
    }

    @Test
    void modelWithoutParametersHasNoBlob() throws IOException {
        Path m = dir.resolve("pool.weights.json");
        WeightsFile.write(m, WeightSet.of("Pool", List.of()));
        assertEquals("{\n  \"format\": \"striate-weights\",\n  \"version\": 1,\n  \"model\": \"Pool\",\n"
                + "  \"tensors\": []\n}\n", Files.readString(m));
        assertEquals(List.of("pool.weights.json"), listing(dir));
        assertEquals(0, WeightsFile.read(m).tensors().size());
    }

    @Test
    void checksumMatchesAnIndependentlyComputedSha256() throws IOException {
        // sha256 of the 4 little-endian bytes of 1.0f (00 00 80 3f), computed with `sha256sum`.
        Path m = dir.resolve("one.weights.json");
        WeightsFile.write(m, WeightSet.of("One", List.of(new Tensor("x.bias", new int[] {1}, new float[] {1f}))));
        assertTrue(Files.readString(m).contains(
                "\"sha256\": \"e00e5eb9444182f352323374ef4e08ebcb784725fdd4fd612d7730540b3e0c8c\""));
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Files.readAllBytes(dir.resolve("one.weights.bin")));
    }

    @Test
    void sameTensorsGiveByteIdenticalFiles() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a")).resolve("m.weights.json");
        Path b = Files.createDirectory(dir.resolve("b")).resolve("m.weights.json");
        WeightsFile.write(a, sample());
        WeightsFile.write(b, sample());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertArrayEquals(Files.readAllBytes(a.resolveSibling("m.weights.bin")),
                Files.readAllBytes(b.resolveSibling("m.weights.bin")));
        WeightsFile.write(b, WeightsFile.read(b));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "read then write is the identity");
    }

    @Test
    void leavesNoTemporaryFiles() throws IOException {
        Path m = dir.resolve("m.weights.json");
        WeightsFile.write(m, sample());
        WeightsFile.write(m, sample(), WriteOptions.inlineUpTo(2));
        assertEquals(List.of("m.weights.bin", "m.weights.json"), listing(dir));
    }

    @Test
    void failedRenameLeavesNoTemporaryFile() throws IOException {
        Path m = dir.resolve("m.weights.json");
        Files.createDirectories(m.resolve("in-the-way"));
        assertThrows(IOException.class, () -> WeightsFile.write(m, sample()));
        assertEquals(List.of("m.weights.bin", "m.weights.json"), listing(dir), "the blob and the blocking directory");
        assertTrue(Files.isDirectory(m));
    }

    @Test
    void failedBlobWriteKeepsThePreviousManifest() throws IOException {
        Path m = dir.resolve("m.weights.json");
        WeightsFile.write(m, sample(), WriteOptions.allInline());
        byte[] before = Files.readAllBytes(m);
        Files.createDirectories(dir.resolve("m.weights.bin").resolve("in-the-way"));
        assertThrows(IOException.class, () -> WeightsFile.write(m, sample()));
        assertArrayEquals(before, Files.readAllBytes(m));
        assertEquals(List.of("m.weights.bin", "m.weights.json"), listing(dir));
        assertSameTensors(sample(), WeightsFile.read(m));
    }

    @Test
    void refusesToWriteNonFiniteValuesAndWritesNothing() throws IOException {
        Path m = dir.resolve("m.weights.json");
        WeightSet bad = WeightSet.of("M", List.of(new Tensor("d.weight", new int[] {2, 2},
                new float[] {0, 1, Float.NEGATIVE_INFINITY, 2})));
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.write(m, bad));
        assertEquals(WeightsException.Kind.NON_FINITE, e.kind());
        assertEquals("d.weight: element 2 (index [1, 0]) is -Infinity; weights must be finite", e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void missingManifestIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> WeightsFile.read(dir.resolve("nope.weights.json")));
    }

    @Test
    void namesTheDataFileAfterTheManifest() {
        assertEquals("model.weights.bin", WeightsFile.dataFileName(Path.of("x/model.weights.json")));
        assertEquals("model.weights.bin", WeightsFile.dataFileName(Path.of("model.json")));
        assertEquals("model.weights.bin", WeightsFile.dataFileName(Path.of("model")));
    }

    static byte[] le(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
