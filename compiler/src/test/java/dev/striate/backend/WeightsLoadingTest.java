package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.TestModels;
import dev.striate.testing.Tolerance;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * How generated classes get their weights: the resource blob (layout, header, checks against
 * missing, truncated, corrupted and foreign blobs) and single-file mode (base64 chunks in nested
 * classes, no resource).
 */
class WeightsLoadingTest {
    static final GenerateOptions BLOB = new GenerateOptions("com.acme", "SeedCnn", false);
    static final GenerateOptions SINGLE = new GenerateOptions("com.acme", "SeedCnn", true);

    @Test
    void blobModeWritesSourceAndResource() {
        List<GeneratedFile> files = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB);
        assertEquals(2, files.size());
        assertEquals(GeneratedFile.Kind.SOURCE, files.get(0).kind());
        assertEquals("com/acme/SeedCnn.java", files.get(0).relativePath());
        assertEquals(GeneratedFile.Kind.RESOURCE, files.get(1).kind());
        assertEquals("com/acme/SeedCnn.weights", files.get(1).relativePath());
    }

    @Test
    void blobHasHeaderCountAndChecksum() {
        byte[] blob = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB).get(1).content();
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('S', blob[0]);
        assertEquals('T', blob[1]);
        assertEquals('R', blob[2]);
        assertEquals('W', blob[3]);
        assertEquals(1, b.getInt(4));
        assertEquals(93_322, b.getInt(8), "every parameter of the Keras MNIST CNN");
        assertEquals(16 + 4 * 93_322, blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob, 16, blob.length - 16);
        assertEquals((int) crc.getValue(), b.getInt(12));
    }

    @Test
    void weightsAreNeverArrayLiterals() {
        String source = source(JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB));
        assertTrue(source.length() < 60_000, "source holds code, not weights: " + source.length() + " chars");
        assertTrue(!Pattern.compile("\\{\\s*-?\\d+\\.\\d+f?\\s*,").matcher(source).find(), "no float array literal");
    }

    @Test
    void loadFromStreamEqualsLoadFromResource() {
        List<GeneratedFile> files = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB);
        CompiledModel m = CompiledModel.compile(files);
        float[] x = TestModels.mnistCnn(1).randomInput(784);
        assertArrayEquals(m.load().predict(x), m.load(files.get(1).content()).predict(x));
    }

    @Test
    void missingResourceFailsWithClearMessage() {
        List<GeneratedFile> files = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB);
        CompiledModel m = CompiledModel.compile(files.subList(0, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, m::load);
        assertEquals("weights resource com/acme/SeedCnn.weights not found: package it beside SeedCnn.class on the"
                + " class path", e.getMessage());
    }

    @Test
    void corruptResourceIsDetectedByLoad() {
        List<GeneratedFile> files = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB);
        byte[] corrupt = files.get(1).content().clone();
        corrupt[1000] ^= 0x10;
        CompiledModel m = CompiledModel.compile(List.of(files.get(0),
                new GeneratedFile(GeneratedFile.Kind.RESOURCE, files.get(1).relativePath(), corrupt)));
        IllegalStateException e = assertThrows(IllegalStateException.class, m::load);
        assertEquals("cannot load weights resource com/acme/SeedCnn.weights: corrupt weights blob: CRC32 mismatch",
                e.getMessage());
    }

    @Test
    void badBlobsAreRejectedByLoadFromStream() {
        List<GeneratedFile> files = JavaBackend.generate(TestModels.mnistCnn(1).build(), BLOB);
        CompiledModel m = CompiledModel.compile(files);
        byte[] good = files.get(1).content();

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        assertEquals("corrupt weights blob: 373300 bytes, expected 373304 (truncated?)", loadError(m, truncated));

        assertEquals("corrupt weights blob: 3 bytes is shorter than the 16-byte header", loadError(m, new byte[3]));

        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertEquals("not a Striate weights blob (version 1): bad magic or version", loadError(m, badMagic));

        byte[] other = JavaBackend.generate(TestModels.leNet5(1).build(), BLOB).get(1).content();
        assertTrue(loadError(m, other).startsWith("weights blob holds 61706 floats but SeedCnn needs 93322"));

        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        assertEquals("corrupt weights blob: CRC32 mismatch", loadError(m, flipped));
    }

    private static String loadError(CompiledModel m, byte[] blob) {
        CompiledModel.GeneratedCodeException e = assertThrows(CompiledModel.GeneratedCodeException.class,
                () -> m.load(blob));
        assertTrue(e.getCause() instanceof IOException);
        return e.getMessage();
    }

    @Test
    void singleFileModeEmbedsTheWeights() {
        GraphBuilder b = TestModels.mnistCnn(1);
        Graph g = b.build();
        List<GeneratedFile> files = JavaBackend.generate(g, SINGLE);
        assertEquals(1, files.size());
        CompiledModel m = CompiledModel.compile(files);
        float[] x = b.randomInput(784);
        Tolerance.assertClose(ReferenceInterpreter.run(g, x), m.load().predict(x), "single-file SeedCnn");
        CompiledModel blob = CompiledModel.compile(JavaBackend.generate(g, BLOB));
        assertArrayEquals(blob.load().predict(x), m.load().predict(x));
    }

    @Test
    void singleFileChunksAreSmallAndSpreadOverNestedClasses() {
        String source = source(JavaBackend.generate(TestModels.mnistCnn(1).build(), SINGLE));
        Matcher literal = Pattern.compile("\"([A-Za-z0-9+/=]{100,})\"").matcher(source);
        int chunks = 0;
        while (literal.find()) {
            chunks++;
            assertTrue(literal.group(1).getBytes(StandardCharsets.UTF_8).length <= 32_000);
        }
        assertEquals((int) Math.ceil((16 + 4 * 93_322) / 24_000.0), chunks);
        Matcher nested = Pattern.compile("private static final class Weights(\\d+)").matcher(source);
        int classes = 0;
        while (nested.find()) {
            classes++;
        }
        assertEquals((int) Math.ceil(chunks / 8.0), classes);
    }

    static String source(List<GeneratedFile> files) {
        return new String(files.get(0).content(), StandardCharsets.UTF_8);
    }
}
