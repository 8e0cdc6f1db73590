package dev.striate.importer.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken safetensors input: each is a coded error naming what is wrong, no stack
 * trace, and the weights manifest already in place is left as it was.
 */
class SafetensorsErrorsTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path manifest;

    /** A model with one parameterized layer: d.weight [2, 3], d.bias [2]. */
    @BeforeEach
    void model() throws IOException {
        model = Files.writeString(tmp.resolve("tiny.cnn"), "model Tiny {\n    input x: [3]\n    dense(2, name=\"d\")\n}\n");
        manifest = tmp.resolve("w.weights.json");
        Files.writeString(manifest, "previous");
    }

    /** A safetensors file: the header text (padded with spaces, as written), then {@code data}. */
    private Path file(String header, byte[] data) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, data);
    }

    private Path file(long headerLength, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h).put(data);
        return Files.write(tmp.resolve("w.safetensors"), b.array());
    }

    private static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** The good file: d.bias then d.weight, F32. */
    private static final String GOOD = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + ","
            + tensor("d.weight", "F32", "[2,3]", 8, 32) + "}";

    private String refused(Path file, ErrorCode code, List<String> maps) throws IOException {
        CompileException e = assertThrows(CompileException.class, () -> StateDictImport.write(file, model, maps, manifest));
        assertEquals(code, e.diagnostics().get(0).code(), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());
        assertEquals("previous", Files.readString(manifest), "nothing written");
        assertFalse(Files.exists(tmp.resolve("w.weights.bin")), "nothing written");
        return e.getMessage();
    }

    private String refused(Path file, ErrorCode code) throws IOException {
        return refused(file, code, List.of());
    }

    @Test
    void theGoodFileImports() throws IOException {
        Path file = file(GOOD, f32(0.5f, -1, 1, 2, 3, 4, 5, 6));
        StateDictImport.Result r = StateDictImport.write(file, model, List.of(), manifest).result();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.weights().tensors().get("d.weight").data());
        assertArrayEquals(new float[] {0.5f, -1}, r.weights().tensors().get("d.bias").data());
        assertTrue(Files.readString(manifest).contains("\"d.weight\""));
    }

    @Test
    void shorterThanTheLength() throws IOException {
        Files.write(tmp.resolve("w.safetensors"), new byte[] {5, 0, 0});
        assertTrue(refused(tmp.resolve("w.safetensors"), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("3 bytes"));
    }

    @Test
    void truncatedData() throws IOException {
        Path good = file(GOOD, f32(0.5f, -1, 1, 2, 3, 4, 5, 6));
        byte[] whole = Files.readAllBytes(good);
        Files.write(good, Arrays.copyOf(whole, whole.length - 5));
        assertTrue(refused(good, ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("truncated"));
    }

    @Test
    void truncatedHeader() throws IOException {
        Path good = file(GOOD, f32(0.5f, -1, 1, 2, 3, 4, 5, 6));
        Files.write(good, Arrays.copyOf(Files.readAllBytes(good), 40));
        refused(good, ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
    }

    @Test
    void hugeHeaderLength() throws IOException {
        String m = refused(file(1L << 62, GOOD, f32(0.5f, -1, 1, 2, 3, 4, 5, 6)), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
        assertTrue(m.contains("4611686018427387904"), m);
        // negative as a signed long: read as unsigned, still refused
        refused(file(-8, GOOD, new byte[32]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
    }

    @Test
    void headerOverTheCap() throws IOException {
        Path f = tmp.resolve("w.safetensors");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, (16L << 20) + 1));
            ch.write(ByteBuffer.wrap(new byte[] {' '}), 8 + (16L << 20) + 1);
        }
        assertTrue(refused(f, ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("at most 16777216"));
    }

    @Test
    void notARegularFile() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d.safetensors"));
        assertTrue(refused(dir, ErrorCode.IO).contains("not a regular file"));
    }

    @Test
    void overlappingOffsets() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("d.weight", "F32", "[2,3]", 4, 28) + "}";
        assertTrue(refused(file(h, new byte[28]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("overlap"));
    }

    @Test
    void offsetsPastTheData() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("d.weight", "F32", "[2,3]", 8, 32) + "}";
        assertTrue(refused(file(h, new byte[20]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("truncated"));
        String far = "{" + tensor("d.bias", "F32", "[2]", 9223372036854775800L, 9223372036854775807L) + "}";
        refused(file(far, new byte[8]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
    }

    @Test
    void aGapBetweenTensors() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("d.weight", "F32", "[2,3]", 12, 36) + "}";
        assertTrue(refused(file(h, new byte[36]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("gap"));
    }

    @Test
    void shapeDisagreesWithItsBytes() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[3]", 0, 8) + "}";
        assertTrue(refused(file(h, new byte[8]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("needs 12 bytes"));
    }

    @Test
    void shapeThatOverflows() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[4294967296,4294967296,16]", 0, 0) + "}";
        assertTrue(refused(file(h, new byte[0]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("more elements"));
        String bytes = "{" + tensor("d.bias", "F64", "[4611686018427387904]", 0, 0) + "}";
        assertTrue(refused(file(bytes, new byte[0]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED).contains("more bytes"));
    }

    @Test
    void notJsonOrDuplicateKeysOrNegative() throws IOException {
        refused(file("{\"d.bias\":", new byte[0]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
        refused(file("[1,2]   ", new byte[0]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
        String twice = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("d.bias", "F32", "[2]", 8, 16) + "}";
        String m = refused(file(twice, new byte[16]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
        assertTrue(m.contains("Duplicate field 'd.bias'"), m);
        refused(file("{" + tensor("d.bias", "F32", "[-2]", 0, 8) + "}", new byte[8]),
                ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
        refused(file("{\"__metadata__\":{\"a\":1}}", new byte[0]), ErrorCode.IMPORT_SAFETENSORS_MALFORMED);
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        String h = "{" + tensor("d.bias", "F64", "[2]", 0, 16) + "," + tensor("d.weight", "F32", "[2,3]", 16, 40) + "}";
        String m = refused(file(h, new byte[40]), ErrorCode.IMPORT_SAFETENSORS_DTYPE);
        assertTrue(m.contains("'d.bias' is F64") && m.contains("F16 and BF16"), m);
        String unknown = "{" + tensor("d.bias", "Q7", "[2]", 0, 8) + "}";
        assertTrue(refused(file(unknown, new byte[8]), ErrorCode.IMPORT_SAFETENSORS_DTYPE).contains("'Q7'"));
    }

    @Test
    void shapeDiffersFromTheModel() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("d.weight", "F32", "[3,2]", 8, 32) + "}";
        String m = refused(file(h, new byte[32]), ErrorCode.IMPORT_WEIGHTS_MAPPING);
        assertTrue(m.contains("'d.weight' [3, 2] maps (by name) to d.weight, which needs [2, 3]"), m);
    }

    @Test
    void unusedAndMissingAreListed() throws IOException {
        String h = "{" + tensor("d.bias", "F32", "[2]", 0, 8) + "," + tensor("extra.weight", "F32", "[2,3]", 8, 32) + "}";
        String m = refused(file(h, new byte[32]), ErrorCode.IMPORT_WEIGHTS_MAPPING);
        assertTrue(m.contains("left unmapped: extra.weight [2, 3]") && m.contains("no tensor: d.weight [2, 3]"), m);
    }

    @Test
    void mapRules() throws IOException {
        String h = "{" + tensor("fc.bias", "F32", "[2]", 0, 8) + "," + tensor("fc.weight", "F32", "[2,3]", 8, 32) + "}";
        Path f = file(h, f32(0, 0, 1, 2, 3, 4, 5, 6));
        assertTrue(refused(f, ErrorCode.IMPORT_WEIGHTS_MAPPING, List.of("fc=nope")).contains("no layer 'nope'"));
        assertTrue(refused(f, ErrorCode.IMPORT_WEIGHTS_MAPPING, List.of("fc")).contains("PREFIX=LAYER"));
        assertTrue(refused(f, ErrorCode.IMPORT_WEIGHTS_MAPPING, List.of("fc=d", "conv=d")).contains("'conv.'"));
        StateDictImport.Result r = StateDictImport.read(f, model, List.of("fc=d"));
        assertEquals("--map", r.mappings().get(0).rule());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.weights().tensors().get("d.weight").data());
    }

    @Test
    void namesAreShownSafely() throws IOException {
        String h = "{" + tensor("evil\\u001b[2J\\nline.weight", "F32", "[2,3]", 0, 24) + "}";
        String m = refused(file(h, new byte[24]), ErrorCode.IMPORT_WEIGHTS_MAPPING);
        assertFalse(m.contains("\u001b") || m.contains("\nline"), m);
        assertTrue(m.contains("evil\\u001b[2J\\u000aline.weight"), m);
    }

    @Test
    void nonFiniteHalfIsRefused() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3c00).putShort((short) 0x7c00);
        String h = "{" + tensor("d.bias", "F16", "[2]", 0, 4) + "," + tensor("d.weight", "F16", "[2,3]", 4, 16) + "}";
        assertTrue(refused(file(h, b.array()), ErrorCode.NON_FINITE_WEIGHT).contains("Infinity"));
    }

    /** Beyond OnnxFileTest's binary16 table (which runs through Float16 too): subnormal, NaN, rounding step; bfloat16. */
    @Test
    void halfAndBfloat16AreExact() {
        assertEquals(0x3ffp-24f, Float16.toFloat((short) 0x03ff));
        assertEquals(1.0009765625f, Float16.toFloat((short) 0x3c01));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Float16.toFloat((short) 0x7e00)));
        assertEquals(1.0f, Float16.bfloat16ToFloat((short) 0x3f80));
        assertEquals(-0x1.fep127f, Float16.bfloat16ToFloat((short) 0xff7f));
        assertEquals(0x1p-133f, Float16.bfloat16ToFloat((short) 0x0001));
    }

    @Test
    void pytorchCheckpointGetsBothCommands() throws IOException {
        Path pt = Files.write(tmp.resolve("net.pt"), new byte[] {'P', 'K', 3, 4});
        String m = refused(pt, ErrorCode.IMPORT_UNREADABLE);
        assertTrue(m.contains("torch.onnx.export(model.eval()") && m.contains("st.save_file(torch.load('net.pt'"), m);
    }
}
