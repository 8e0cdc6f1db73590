package dev.striate.importer.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.diag.CompileException;
import dev.striate.importer.onnx.OnnxImport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad Keras files: damaged or hostile archives and HDF5 files, unsupported layers and forms,
 * weights that do not fit. Each is a coded error (E610-E614) naming the problem, and nothing is
 * written to the output folder.
 */
class KerasErrorsTest {
    @TempDir
    Path tmp;

    private static Path fixture(String c) throws IOException {
        return KerasFixturesTest.modelFile(c);
    }

    /** The entries of the MNIST CNN's .keras archive, in order. */
    private static Map<String, byte[]> entries() throws IOException {
        return entries("mnist_cnn_keras3");
    }

    private static Map<String, byte[]> entries(String fixture) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(fixture(fixture).toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    private Path zip(String name, Map<String, byte[]> entries, boolean deflate) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Path file = tmp.resolve(name);
        Files.write(file, bytes.toByteArray());
        return file;
    }

    /** The MNIST CNN with its config.json changed by {@code edit}. */
    private Path withConfig(UnaryOperator<String> edit) throws IOException {
        return withConfig("mnist_cnn_keras3", edit);
    }

    private Path withConfig(String fixture, UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> e = entries(fixture);
        String config = new String(e.get("config.json"), StandardCharsets.UTF_8);
        String changed = edit.apply(config);
        assertFalse(changed.equals(config), "the edit changed nothing");
        e.put("config.json", changed.getBytes(StandardCharsets.UTF_8));
        return zip("edited.keras", e, false);
    }

    /** Imports {@code file}, expects the error {@code code} with {@code words} in its message, and checks nothing was written. */
    private String refused(Path file, String code, String... words) throws IOException {
        Path out = tmp.resolve("out");
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.write(file, out, null));
        String message = e.getMessage();
        assertEquals(code, e.diagnostics().get(0).code().code(), message);
        for (String w : words) {
            assertTrue(message.contains(w), "'" + w + "' missing from: " + message);
        }
        assertTrue(!Files.exists(out) || isEmpty(out), "files written: " + out);
        return message;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void theUnchangedArchiveImports() throws IOException {
        assertTrue(OnnxImport.write(zip("same.keras", entries(), true), tmp.resolve("ok"), null).model().toFile()
                .isFile());
    }

    @Test
    void truncatedAndForeignFiles() throws IOException {
        byte[] keras = Files.readAllBytes(fixture("mnist_cnn_keras3"));
        Path cut = Files.write(tmp.resolve("cut.keras"), Arrays.copyOf(keras, keras.length / 2));
        refused(cut, "E610", "zip");
        Path text = Files.writeString(tmp.resolve("text.keras"), "not a model");
        refused(text, "E610");
        byte[] h5 = Files.readAllBytes(fixture("mnist_cnn_keras2"));
        Path cutH5 = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(h5, h5.length / 3));
        refused(cutH5, "E610");
        Path textH5 = Files.writeString(tmp.resolve("text.h5"), "not HDF5 at all, just text");
        refused(textH5, "E610");
    }

    @Test
    void archiveWithoutItsEntriesOrWithDamagedWeights() throws IOException {
        Map<String, byte[]> e = entries();
        e.remove("model.weights.h5");
        refused(zip("noweights.keras", e, false), "E610", "model.weights.h5");
        e = entries();
        byte[] weights = e.get("model.weights.h5");
        e.put("model.weights.h5", Arrays.copyOf(weights, 600));
        refused(zip("cutweights.keras", e, false), "E610");
        e = entries();
        e.put("config.json", "{\"class_name\": ".getBytes(StandardCharsets.UTF_8));
        refused(zip("badjson.keras", e, false), "E610", "config.json");
    }

    @Test
    void weightsOnlyH5IsRefusedWithTheWayOut() throws IOException {
        Path weightsOnly = Files.write(tmp.resolve("weights.h5"), entries().get("model.weights.h5"));
        refused(weightsOnly, "E610", "model_config", "model.save");
    }

    @Test
    void hostileEntryNames() throws IOException {
        for (String bad : new String[] {"../evil.txt", "assets/../../evil", "/etc/passwd", "C:/x", "a\\..\\b",
                "line\nbreak"}) {
            Map<String, byte[]> e = entries();
            e.put(bad, new byte[] {1});
            refused(zip("slip.keras", e, false), "E611", "unsafe .keras archive");
        }
    }

    @Test
    void tooManyEntries() throws IOException {
        Map<String, byte[]> e = entries();
        for (int i = 0; i < 70; i++) {
            e.put("assets/" + i, new byte[0]);
        }
        refused(zip("many.keras", e, false), "E611", "more than 64 entries");
    }

    @Test
    void oversizedAndOvercompressedEntries() throws IOException {
        Map<String, byte[]> e = entries();
        e.put("model.weights.h5", new byte[4 << 20]); // 4 MiB of zeros deflate to a few KiB
        refused(zip("bomb.keras", e, true), "E611", "decompression bomb");
        e = entries();
        byte[] config = new byte[(16 << 20) + 10];
        Arrays.fill(config, (byte) ' ');
        e.put("config.json", config);
        refused(zip("huge.keras", e, true), "E611", "cap");
    }

    @Test
    void unknownLayerIsNamedWithTheSupportedList() throws IOException {
        Path file = withConfig(c -> c.replace("\"class_name\": \"Dropout\"", "\"class_name\": \"GaussianNoise\""));
        refused(file, "E612", "layer 'dropout' (GaussianNoise)", "Supported: InputLayer, Conv2D");
    }

    @Test
    void unsupportedForms() throws IOException {
        refused(withConfig(c -> c.replaceFirst("\"channels_last\"", "\"channels_first\"")), "E613", "'conv2d'",
                "channels_first");
        refused(withConfig(c -> c.replaceFirst("\"activation\": \"relu\"", "\"activation\": \"relu6\"")), "E613",
                "relu6");
        refused(withConfig(c -> c.replace("\"class_name\": \"Sequential\"", "\"class_name\": \"MyModel\"")), "E613",
                "Sequential and Functional");
        refused(withConfig(c -> c.replaceFirst("\\[null, 28, 28, 1]", "[null, null, 28, 1]")), "E613",
                "only the batch may be dynamic");
    }

    /** TensorFlow crops the odd row of a SAME transposed convolution at the bottom; PyTorch's padding cannot. */
    @Test
    void transposedSameWithOddKernelMinusStride() throws IOException {
        refused(withConfig("residual_keras3", c -> c.replace("\"kernel_size\": [4, 4]", "\"kernel_size\": [3, 3]")),
                "E613", "layer 'up' (Conv2DTranspose)", "even kernel - stride");
    }

    /** Functional models: a layer called twice (shared) and a second input are refused by name. */
    @Test
    void sharedLayersAndSecondInputs() throws IOException {
        refused(withConfig("residual_keras3", c -> c.replaceFirst("\"inbound_nodes\": \\[\\{",
                "\"inbound_nodes\": [{\"args\": [], \"kwargs\": {}}, {")), "E613", "called 2 times");
        refused(withConfig("residual_keras3", c -> c.replace("\"input_layers\": [\"input_layer\", 0, 0]",
                "\"input_layers\": [[\"input_layer\", 0, 0], [\"other\", 0, 0]]")), "E613", "2 inputs");
    }

    @Test
    void weightsThatDoNotFitTheConfiguration() throws IOException {
        refused(withConfig(c -> c.replace("\"units\": 16", "\"units\": 17")), "E614", "'dense'", "[1152, 17]");
    }

    @Test
    void randomByteChangesAreUserErrorsOrImports() throws IOException {
        Random random = new Random(7);
        for (String name : new String[] {"mnist_cnn_keras3", "zoo_keras2", "residual_keras3"}) {
            Path original = fixture(name);
            byte[] bytes0 = Files.readAllBytes(original);
            String ext = original.getFileName().toString().substring(original.getFileName().toString().indexOf('.'));
            for (int round = 0; round < 60; round++) {
                byte[] bytes = bytes0.clone();
                for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
                    // aim most changes at the HDF5 superblock, object headers and the zip's directory
                    int at = random.nextInt(3) == 0 ? random.nextInt(bytes.length)
                            : random.nextBoolean() ? random.nextInt(Math.min(bytes.length, 4096))
                            : bytes.length - 1 - random.nextInt(Math.min(bytes.length, 4096));
                    bytes[at] = (byte) random.nextInt(256);
                }
                Path file = Files.write(tmp.resolve(name + "_" + round + ext), bytes);
                try {
                    OnnxImport.read(file, null);
                } catch (CompileException e) {
                    // a user error with a code: fine
                } catch (RuntimeException | StackOverflowError e) {
                    fail(name + " round " + round + ": " + e);
                }
            }
        }
    }
}
