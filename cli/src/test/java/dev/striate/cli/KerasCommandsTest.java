package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on Keras files: {@code import}, {@code compile}, {@code summary} and
 * {@code check} take a Keras 3 {@code .keras} and a Keras 2 {@code .h5} as they take an
 * {@code .onnx} file; errors are at the Keras file, and a failed import writes nothing.
 */
class KerasCommandsTest {
    static final Path KERAS = Path.of("..", "importer", "src", "test", "resources", "keras").toAbsolutePath().normalize();
    static final Path MNIST = KERAS.resolve("mnist_cnn_keras3/model.keras");
    static final Path ZOO = KERAS.resolve("zoo_keras2/model.h5");

    @TempDir
    Path tmp;

    @Test
    void importWritesTheModelAndWeights() {
        Cli.Run run = Cli.run("import", MNIST.toString(), "-o", tmp.toString(), "--name", "Digits");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("wrote " + tmp.resolve("model.cnn")), run.out());
        assertTrue(run.out().contains("next: striate compile"), run.out());
        assertTrue(Files.isRegularFile(tmp.resolve("model.weights.bin")));
    }

    @Test
    void compileAKerasFileInOneStep() throws IOException {
        for (Path model : new Path[] {MNIST, ZOO}) {
            Path out = tmp.resolve(model.getParent().getFileName().toString());
            Cli.Run run = Cli.run("compile", model.toString(), "-p", "com.acme", "-o", out.toString(), "--single-file");
            assertEquals(0, run.exitCode(), run.toString());
            try (Stream<Path> files = Files.walk(out)) {
                assertTrue(files.anyMatch(p -> p.toString().endsWith("com/acme/Model.java")), run.toString());
            }
        }
    }

    @Test
    void summaryAndCheckAreThoseOfTheImportedModel() {
        Cli.Run summary = Cli.run("summary", ZOO.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        assertTrue(summary.out().contains("sep_depthwise"), summary.out());
        Cli.Run imported = Cli.run("import", ZOO.toString(), "-o", tmp.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        Cli.Run ofImport = Cli.run("summary", tmp.resolve("model.cnn").toString());
        assertEquals(ofImport.out(), summary.out());
        Cli.Run check = Cli.run("check", MNIST.toString(), "-p", "com.acme");
        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.out().startsWith("ok: "), check.out());
    }

    @Test
    void errorsAreAtTheKerasFileAndNothingIsWritten() throws IOException {
        Path bad = Files.writeString(tmp.resolve("broken.keras"), "not a zip");
        Path out = tmp.resolve("out");
        Cli.Run run = Cli.run("import", bad.toString(), "-o", out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(bad + ": error: "), run.err());
        assertTrue(run.err().contains("[E610]"), run.err());
        assertFalse(Files.exists(out.resolve("broken.cnn")));
        Cli.Run weights = Cli.run("compile", MNIST.toString(), "--weights", "x.weights.json");
        assertEquals(1, weights.exitCode(), weights.toString());
        assertTrue(weights.err().contains("a Keras model"), weights.err());
    }
}
