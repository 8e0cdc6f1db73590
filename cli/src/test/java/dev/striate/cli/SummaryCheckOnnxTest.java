package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate summary MODEL.onnx} and {@code striate check MODEL.onnx}: the same answers as for
 * the model {@code striate import} writes, errors and warnings at the .onnx file, {@code --weights}
 * refused.
 */
class SummaryCheckOnnxTest {
    private static final Path LENET = ImportCommandTest.LENET;
    /** A 1x1 conv to one channel, then a softmax over it: imports, but warned about (E109). */
    static final Path WARNED = LENET.resolveSibling("../warned/softmax_one_channel.onnx").normalize();

    @TempDir
    Path tmp;

    /** Imports the fixture with {@code striate import} into {@code tmp}; returns the {@code .cnn}. */
    private Path imported() {
        Cli.Run run = Cli.run("import", LENET.toString(), "-o", tmp.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return tmp.resolve("model.cnn");
    }

    @Test
    void summaryOfAnOnnxFileIsTheImportedModelsSummary() {
        Cli.Run run = Cli.run("summary", LENET.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("conv1"), run.out());
        Cli.Run ofImport = Cli.run("summary", imported().toString());
        assertEquals(0, ofImport.exitCode(), ofImport.toString());
        assertEquals(ofImport.out(), run.out());
        assertEquals("", run.err());
    }

    @Test
    void checkOfAnOnnxFileIsTheImportedModelsCheck() {
        Cli.Run run = Cli.run("check", LENET.toString(), "-p", "com.acme", "--single-file");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("ok: "), run.out());
        Cli.Run ofImport = Cli.run("check", imported().toString(), "-p", "com.acme", "--single-file");
        assertEquals(0, ofImport.exitCode(), ofImport.toString());
        assertEquals(ofImport.out(), run.out());
    }

    /** As compile reports them: at the .onnx file, with the line of the imported .cnn, no temporary path. */
    @Test
    void errorsPointAtTheOnnxFile() {
        for (String command : new String[] {"summary", "check"}) {
            Cli.Run run = Cli.run(command, LENET.toString(), "--max-params", "100");
            assertEquals(1, run.exitCode(), command + ": " + run);
            assertTrue(run.err().startsWith(LENET + ": error: "), command + ": " + run.err());
            assertTrue(run.err().contains("[E505]") && run.err().contains("of the imported .cnn)"), run.err());
            assertFalse(run.err().contains("striate-import"), run.err());
        }
    }

    /** As errors are: at the .onnx file, with the line of the imported .cnn, no temporary path. */
    @Test
    void warningsPointAtTheOnnxFile() {
        for (String command : new String[] {"compile", "check", "summary"}) {
            Cli.Run run = command.equals("compile") ? Cli.run(command, WARNED.toString(), "-o", tmp.resolve("gen").toString())
                    : Cli.run(command, WARNED.toString());
            assertEquals(0, run.exitCode(), command + ": " + run);
            assertTrue(run.err().startsWith(WARNED + ": warning: softmax over 1 channel"), command + ": " + run.err());
            assertTrue(run.err().contains("of the imported .cnn) [E109]"), command + ": " + run.err());
            assertFalse(run.err().contains("striate-import"), command + ": " + run.err());
        }
    }

    @Test
    void checkRefusesWeightsBesideAnOnnxFile() {
        Cli.Run run = Cli.run("check", LENET.toString(), "--weights", "w.weights.json");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--weights does not apply to an ONNX model"), run.err());
    }

    @Test
    void notAnOnnxFileIsACodedErrorWithoutStackTrace() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.onnx"), "not a model");
        for (String command : new String[] {"summary", "check"}) {
            Cli.Run run = Cli.run(command, bad.toString());
            assertEquals(1, run.exitCode(), command + ": " + run);
            assertTrue(run.err().contains("[E601]"), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }
}
