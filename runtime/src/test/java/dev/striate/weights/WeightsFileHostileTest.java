package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.BAD_PATH;
import static dev.striate.weights.WeightsException.Kind.CORRUPT;
import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static dev.striate.weights.WeightsException.Kind.TOO_LARGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights files written to attack the reader: a {@code data} field that reaches outside the
 * manifest's folder or at a device, pipe or directory; sizes and offsets that overflow or ask for
 * more than the file or the ceiling holds; JSON that trips the parser's limits; names that would
 * forge or flood messages. Each valid-looking case is built from a real, readable blob, so only
 * the rule under test can refuse it.
 */
class WeightsFileHostileTest {
    private static final String RULE = "; the data file must be a regular file inside the manifest's folder, "
            + "named relative to it";
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @TempDir
    Path root;

    /** The manifest's folder, one level below {@link #root} so that {@code ..} has somewhere to go. */
    private Path dir() throws IOException {
        return Files.createDirectories(root.resolve("model"));
    }

    private Path manifest() throws IOException {
        return dir().resolve("m.weights.json");
    }

    private static WeightSet sample() {
        return WeightSet.of("M", List.of(
                new Tensor("d.weight", new int[] {2, 2}, new float[] {1, 2, 3, 4}),
                new Tensor("d.bias", new int[] {2}, new float[] {5, 6})));
    }

    /** Writes a valid manifest and blob (24 bytes), then points {@code data} at {@code dataName}. */
    private String writeWithData(String dataName) throws IOException {
        WeightsFile.write(manifest(), sample());
        String json = Files.readString(manifest()).replace("\"data\": \"m.weights.bin\"",
                "\"data\": \"" + dataName.replace("\\", "\\\\").replace("\u0000", "\\u0000") + "\"");
        Files.writeString(manifest(), json);
        return json;
    }

    private WeightsException fails(WeightsFile.ReadLimits limits) {
        return assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(WeightsException.class,
                () -> WeightsFile.read(manifest(), limits)));
    }

    private WeightsException fails() {
        return fails(WeightsFile.ReadLimits.defaults());
    }

    private static void check(WeightsException e, WeightsException.Kind kind, String tensor, String message) {
        assertEquals(message, e.getMessage());
        assertEquals(kind, e.kind());
        assertEquals(tensor, e.tensor());
    }

    // ---- the data field ----

    @Test
    void dotDotOutOfTheFolderIsRefusedEvenWhenTheFileIsThere() throws IOException {
        writeWithData("../m.weights.bin");
        Files.copy(dir().resolve("m.weights.bin"), root.resolve("m.weights.bin"));
        check(fails(), BAD_PATH, null, "\"data\" \"../m.weights.bin\" leaves the manifest's folder" + RULE);
        writeWithData("sub/../../m.weights.bin");
        check(fails(), BAD_PATH, null, "\"data\" \"sub/../../m.weights.bin\" leaves the manifest's folder" + RULE);
        writeWithData("../../../../../../../../../../../../etc/passwd");
        assertEquals(BAD_PATH, fails().kind());
    }

    @Test
    void dotDotThatStaysInsideIsFine() throws IOException {
        writeWithData("sub/../m.weights.bin");
        Files.createDirectories(dir().resolve("sub"));
        assertEquals(2, WeightsFile.read(manifest()).tensors().size());
    }

    @Test
    void absolutePathsAreRefusedEvenToAValidBlob() throws IOException {
        Path blob = dir().resolve("m.weights.bin").toAbsolutePath();
        writeWithData(blob.toString());
        check(fails(), BAD_PATH, null, "\"data\" \"" + Show.text(blob.toString()) + "\" is an absolute path" + RULE);
        writeWithData("/dev/zero");
        check(fails(), BAD_PATH, null, "\"data\" \"/dev/zero\" is an absolute path" + RULE);
    }

    @Test
    void aLinkInsideTheFolderToAFileInsideIsFine() throws IOException {
        writeWithData("link.bin");
        Files.createDirectories(dir().resolve("blobs"));
        Files.move(dir().resolve("m.weights.bin"), dir().resolve("blobs/real.bin"));
        Files.createSymbolicLink(dir().resolve("link.bin"), Path.of("blobs/real.bin"));
        WeightSet read = WeightsFile.read(manifest());
        assertArrayEquals(new float[] {5, 6}, read.tensors().get("d.bias").data());
        assertEquals(Optional.of(dir().resolve("blobs/real.bin").toRealPath()), WeightsFile.dataFile(manifest()));
    }

    @Test
    void aLinkLeadingOutOfTheFolderIsRefusedEvenToAValidBlob() throws IOException {
        writeWithData("link.bin");
        Path outside = root.resolve("elsewhere.bin");
        Files.move(dir().resolve("m.weights.bin"), outside);
        Files.createSymbolicLink(dir().resolve("link.bin"), outside);
        check(fails(), BAD_PATH, null, "\"data\" \"link.bin\" is a link to " + Show.text(outside.toRealPath().toString())
                + ", outside the manifest's folder" + RULE);
        assertEquals(Optional.empty(), WeightsFile.dataFile(manifest()));
    }

    @Test
    void aLinkToAFolderOutsideIsRefused() throws IOException {
        writeWithData("shared/m.weights.bin");
        Path outside = Files.createDirectories(root.resolve("shared"));
        Files.move(dir().resolve("m.weights.bin"), outside.resolve("m.weights.bin"));
        Files.createSymbolicLink(dir().resolve("shared"), outside);
        assertEquals(BAD_PATH, fails().kind());
    }

    @Test
    void aLinkToDevZeroIsRefusedPromptly() throws IOException {
        Path zero = Path.of("/dev/zero");
        assertTrue(Files.exists(zero) || isWindows(), "/dev/zero is missing on a POSIX system");
        if (Files.exists(zero)) {
            writeWithData("zero.bin");
            Files.createSymbolicLink(dir().resolve("zero.bin"), zero);
            check(fails(), BAD_PATH, null, "\"data\" \"zero.bin\" is a link to /dev/zero, outside the manifest's folder"
                    + RULE);
        }
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        writeWithData("blobs");
        Files.createDirectories(dir().resolve("blobs"));
        check(fails(), BAD_PATH, null, "\"data\" \"blobs\" is a directory" + RULE);
        writeWithData(".");
        check(fails(), BAD_PATH, null, "\"data\" \".\" is a directory" + RULE);
    }

    @Test
    void aPipeIsRefusedWithoutOpeningIt() throws Exception {
        writeWithData("pipe.bin");
        boolean made = mkfifo(dir().resolve("pipe.bin"));
        assertTrue(made || isWindows(), "mkfifo failed on a POSIX system");
        if (made) {
            // opening a FIFO for reading blocks until a writer comes: the timeout catches that
            check(fails(), BAD_PATH, null, "\"data\" \"pipe.bin\" is not a regular file (a device, pipe or socket)"
                    + RULE);
        }
    }

    @Test
    void aManifestThatIsAPipeADeviceOrADirectoryIsRefusedPromptly() throws Exception {
        Path pipe = root.resolve("pipe.weights.json");
        boolean made = mkfifo(pipe);
        assertTrue(made || isWindows(), "mkfifo failed on a POSIX system");
        if (made) {
            WeightsException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(WeightsException.class,
                    () -> WeightsFile.read(pipe)));
            check(e, BAD_PATH, null, "the manifest is not a regular file (a device, pipe or socket); "
                    + "give the path of a weights manifest file");
        }
        if (Files.exists(Path.of("/dev/zero"))) {
            WeightsException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(WeightsException.class,
                    () -> WeightsFile.read(Path.of("/dev/zero"))));
            assertEquals(BAD_PATH, e.kind());
        }
        WeightsException e = assertThrows(WeightsException.class, () -> WeightsFile.read(dir()));
        check(e, BAD_PATH, null, "the manifest is a directory; give the path of a weights manifest file "
                + "(model.weights.json)");
    }

    @Test
    void aDataFieldThatIsNotAStringOrNotAPathIsRefused() throws IOException {
        WeightsFile.write(manifest(), sample());
        Files.writeString(manifest(), Files.readString(manifest()).replace("\"data\": \"m.weights.bin\"",
                "\"data\": [\"m.weights.bin\"]"));
        check(fails(), BAD_PATH, null, "\"data\" must be a string naming the data file, got [\"m.weights.bin\"]");
        writeWithData("m.weights.bin\u0000.txt");
        check(fails(), BAD_PATH, null, "\"data\" \"m.weights.bin\\u0000.txt\" is not a valid file name" + RULE);
    }

    // ---- sizes, offsets and the ceiling ----

    @Test
    void theCeilingIsCheckedBeforeReadingAndCountsEveryTensor() throws IOException {
        writeWithData("m.weights.bin");
        assertEquals(2, WeightsFile.read(manifest(), new WeightsFile.ReadLimits(24, 1 << 20)).tensors().size(),
                "exactly at the ceiling");
        check(fails(new WeightsFile.ReadLimits(23, 1 << 20)), TOO_LARGE, null,
                "the tensors take 24 bytes as float32, more than the limit of 23 bytes ("
                        + WeightsFile.ReadLimits.RULE + ")");
    }

    @Test
    void aRangeListedManyTimesCountsManyTimes() throws IOException {
        WeightsFile.write(manifest(), sample());
        String json = Files.readString(manifest());
        String bias = json.lines().filter(l -> l.contains("\"d.bias\"")).findFirst().orElseThrow().strip();
        bias = bias.endsWith(",") ? bias.substring(0, bias.length() - 1) : bias;
        StringBuilder copies = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            copies.append(", ").append(bias.replace("\"d.bias\"", "\"copy" + i + "\""));
        }
        Files.writeString(manifest(), json.replace(bias, bias + copies));
        assertEquals(102, WeightsFile.read(manifest()).tensors().size());
        WeightsException e = fails(new WeightsFile.ReadLimits(16 + 8 * 50, 1 << 20));
        check(e, TOO_LARGE, null, "the tensors take " + (16 + 8 * 101) + " bytes as float32, more than the limit of "
                + (16 + 8 * 50) + " bytes (" + WeightsFile.ReadLimits.RULE + ")");
    }

    @Test
    void aManifestOverItsLimitIsRefusedBeforeParsing() throws IOException {
        WeightsFile.write(manifest(), sample());
        long size = Files.size(manifest());
        // not even JSON: the size is checked first
        Files.write(manifest(), new byte[(int) size]);
        check(fails(new WeightsFile.ReadLimits(1 << 20, size - 1)), TOO_LARGE, null, "the manifest is " + size
                + " bytes, more than the limit of " + (size - 1) + " bytes for a manifest ("
                + WeightsFile.ReadLimits.RULE + ")");
        assertEquals(new WeightsFile.ReadLimits(1600, 1 << 20), WeightsFile.ReadLimits.of(1600));
        assertEquals(new WeightsFile.ReadLimits(80L << 20, 10L << 20), WeightsFile.ReadLimits.of(80L << 20));
    }

    @Test
    void theDefaultCeilingIsAQuarterOfTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        WeightsFile.ReadLimits d = WeightsFile.ReadLimits.defaults();
        assertEquals(heap == Long.MAX_VALUE ? Long.MAX_VALUE : heap / 4, d.maxTensorBytes());
        assertEquals(Math.max(d.maxTensorBytes() / 8, 1 << 20), d.maxManifestBytes());
        assertThrows(IllegalArgumentException.class, () -> new WeightsFile.ReadLimits(-1, 0));
    }

    @Test
    void aRangePastTheEndIsRefusedBeforeAllocatingIt() throws IOException {
        // 2 GiB - 4 bytes asked of a 24-byte file: refused from the file's size, nothing allocated
        String json = writeWithData("m.weights.bin").replace("\"shape\": [2], ", "\"shape\": [536870911], ")
                .replace("\"length\": 8,", "\"length\": 2147483644,");
        Files.writeString(manifest(), json);
        check(fails(), CORRUPT, "d.bias", "d.bias: bytes 16..2147483660 lie past the end of m.weights.bin (24 bytes); "
                + "the file is truncated");
    }

    @Test
    void offsetsNearTwoToTheSixtyThreeDoNotOverflow() throws IOException {
        String json = writeWithData("m.weights.bin");
        Files.writeString(manifest(), json.replace("\"offset\": 16", "\"offset\": 9223372036854775800"));
        check(fails(), MALFORMED, "d.bias", "d.bias: \"offset\" 9223372036854775800 plus \"length\" 8 is past the "
                + "largest possible file size (9223372036854775807 bytes)");
        Files.writeString(manifest(), json.replace("\"offset\": 16", "\"offset\": 9223372036854775799"));
        check(fails(), CORRUPT, "d.bias", "d.bias: bytes 9223372036854775799..9223372036854775807 lie past the end "
                + "of m.weights.bin (24 bytes); the file is truncated");
        Files.writeString(manifest(), json.replace("\"offset\": 16", "\"offset\": 100000000000000000000000"));
        check(fails(), MALFORMED, "d.bias", "d.bias: \"offset\" 100000000000000000000000 is too large (at most "
                + "9223372036854775807)");
        Files.writeString(manifest(), json.replace("\"offset\": 16", "\"offset\": -100000000000000000000000"));
        check(fails(), MALFORMED, "d.bias", "d.bias: \"offset\" must be a non-negative integer, got "
                + "-100000000000000000000000");
    }

    @Test
    void shapesTooLargeAreReportedAsTooLarge() throws IOException {
        String json = writeWithData("m.weights.bin");
        Files.writeString(manifest(), json.replace("\"shape\": [2]", "\"shape\": [100000, 100000]"));
        check(fails(), MALFORMED, "d.bias", "d.bias: shape [100000, 100000] is too large: a tensor may hold at most "
                + "536870911 float32 values (2 GiB)");
        Files.writeString(manifest(), json.replace("\"shape\": [2]", "\"shape\": [2147483647, 2147483647, 2147483647]"));
        check(fails(), MALFORMED, "d.bias", "d.bias: shape [2147483647, 2147483647, 2147483647] is too large: a "
                + "tensor may hold at most 536870911 float32 values (2 GiB)");
        Files.writeString(manifest(), json.replace("\"shape\": [2]", "\"shape\": [1, 3000000000]"));
        check(fails(), MALFORMED, "d.bias", "d.bias: \"shape\" [1,3000000000] is too large: dimension 1 is "
                + "3000000000, a tensor may hold at most 536870911 float32 values (2 GiB)");
        Files.writeString(manifest(), json.replace("\"shape\": [2]", "\"shape\": [1, -3000000000]"));
        check(fails(), MALFORMED, "d.bias", "d.bias: \"shape\" must be a non-empty array of positive integers, got "
                + "[1,-3000000000]");
    }

    @Test
    void blobsAreReadByRangeNotWhole() throws IOException {
        // a sparse 3 GiB blob whose tensors sit at the start: a whole-file read could not even
        // make the array (over 2 GiB), a ranged read takes 24 bytes
        writeWithData("m.weights.bin");
        try (RandomAccessFile f = new RandomAccessFile(dir().resolve("m.weights.bin").toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        WeightSet read = WeightsFile.read(manifest(), 1 << 20);
        assertArrayEquals(new float[] {1, 2, 3, 4}, read.tensors().get("d.weight").data());
    }

    // ---- JSON and messages ----

    @Test
    void deepNestingIsAPlainMessage() throws IOException {
        Files.writeString(manifest(), "{\"format\": " + "[".repeat(2000) + "]".repeat(2000) + "}");
        WeightsException e = fails();
        assertEquals(MALFORMED, e.kind());
        assertTrue(e.getMessage().endsWith(": nested more than 100 levels deep (a manifest needs 4)"), e.getMessage());
    }

    @Test
    void jacksonsSettingAndFeatureNamesNeverReachAMessage() throws IOException {
        List<String> inputs = List.of(
                "{\"format\": 1} {}",
                "{\"format\": 1} x",
                "{/* c */ \"format\": 1}",
                "{\"format\": 1} // c",
                "# c\n{}",
                "{'format': 1}",
                "{format: 1}",
                "{\"format\": +1}",
                "{\"format\": 01}",
                "{\"format\": .5}",
                "{\"format\": 0x10}",
                "{\"format\": 1,}",
                "{\"format\": [1,]}",
                "{\"format\": \"a\tb\"}",
                "{\"format\": \"\\q\"}",
                "{\"format\": nan}",
                "{\"format\": tru}",
                "{\"format\": 1" ,
                "{\"format\": \"abc",
                "{\"format\": [1, 2",
                "{\"format\": {\"a\": 1",
                "{\"format\"",
                "{\"format\":",
                "{\"format\": 1.5e",
                "{\"format\": -",
                "{\"format\": \"\\u12\"}",
                "\u0000",
                "{\"format\": [1 2]}",
                "{\"format\" 1}",
                "{1: 2}",
                "{\"format\": [}",
                "{\"format\": }",
                "{\"format\": 1}}",
                "{\"format\": 1]",
                "{\"a\": 1, \"a\": 2}",
                "{\"format\": " + "1".repeat(1001) + "}",
                "{\"format\": 1." + "1".repeat(1001) + "}",
                "{\"format\": " + "[".repeat(101) + "]".repeat(101) + "}",
                "{\"format\": " + "{\"a\":".repeat(101) + "1" + "}".repeat(101) + "}");
        for (String input : inputs) {
            Files.writeString(manifest(), input);
            WeightsException e = fails();
            String m = e.getMessage();
            assertEquals(MALFORMED, e.kind(), input);
            assertTrue(m.startsWith("the manifest is not valid JSON"), m);
            for (String internal : List.of("`", "Feature", "feature", "StreamReadConstraints", "maxNesting",
                    "getMax", "com.fasterxml", "JsonNode", "enable", "ALLOW_", "FAIL_ON", "Source:", "REDACTED",
                    "VALUE_", "START_", "END_", "FIELD_NAME", "+INF")) {
                assertFalse(m.contains(internal), input + " -> " + m);
            }
            assertTrue(m.length() < 400, m);
        }
    }

    @Test
    void aFieldNameOverTheParsersLimitIsAPlainMessage() throws IOException {
        Files.writeString(manifest(), "{\"" + "n".repeat(50_001) + "\": 1}");
        WeightsException e = fails();
        assertEquals(MALFORMED, e.kind());
        assertEquals("the manifest is not valid JSON: a string 50001 characters long; strings may have at most 50000 "
                + "characters", e.getMessage());
    }

    @Test
    void invalidUtf8IsAPlainMessage() throws IOException {
        Files.write(manifest(), new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        WeightsException e = fails();
        assertEquals(MALFORMED, e.kind());
        assertTrue(e.getMessage().contains("Invalid UTF-8"), e.getMessage());
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws IOException {
        WeightsFile.write(manifest(), sample());
        byte[] json = Files.readAllBytes(manifest());
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Files.write(manifest(), withBom);
        assertEquals(2, WeightsFile.read(manifest()).tensors().size());
    }

    @Test
    void hugeOrControlCharacterNamesAreCutAndEscapedInMessages() throws IOException {
        String name = "x".repeat(100_000);
        String t = "{\"name\": \"" + name + "\", \"shape\": [1], \"dtype\": \"float32\", \"values\": [1]}";
        Files.writeString(manifest(), header(t + ", " + t));
        WeightsException e = fails();
        check(e, MALFORMED, name, "x".repeat(Show.MAX) + "... (100000 characters): the manifest lists this tensor "
                + "twice");
        String forged = "a\\nmodel.cnn:1:1: error: forged [E001]\\u2028\\u202e";
        t = "{\"name\": \"" + forged + "\", \"shape\": [1], \"dtype\": \"float16\", \"values\": [1]}";
        Files.writeString(manifest(), header(t));
        e = fails();
        assertEquals("a\\u000amodel.cnn:1:1: error: forged [E001]\\u2028\\u202e: unsupported dtype \"float16\" "
                + "(only \"float32\" is supported)", e.getMessage());
        assertEquals("a\nmodel.cnn:1:1: error: forged [E001]\u2028\u202e", e.tensor());
    }

    @Test
    void hugeValuesInMessagesAreCut() throws IOException {
        String big = "[" + "1, ".repeat(10_000) + "0]";
        Files.writeString(manifest(), header("{\"name\": \"t\", \"shape\": " + big + ", \"dtype\": \"float32\", "
                + "\"values\": [1]}"));
        WeightsException e = fails();
        assertEquals(MALFORMED, e.kind());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        Files.writeString(manifest(), "{\"format\": \"" + "f".repeat(1_000_000) + "\"}");
        e = fails();
        assertEquals("unknown format \"" + "f".repeat(Show.MAX) + "... (1000000 characters)\" (expected "
                + "\"striate-weights\")", e.getMessage());
    }

    private static String header(String tensors) {
        return "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"M\", \"tensors\": [" + tensors + "]}";
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** Makes a FIFO with the platform's {@code mkfifo}; false when the platform has none. */
    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mkfifo hung");
            return p.exitValue() == 0 && Files.exists(path) && !Files.isRegularFile(path);
        } catch (IOException e) {
            return false;
        }
    }
}
