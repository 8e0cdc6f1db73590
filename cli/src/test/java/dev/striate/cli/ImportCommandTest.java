package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code striate import} and {@code striate compile MODEL.onnx} on the importer's PyTorch fixtures. */
class ImportCommandTest {
    /** A PyTorch export of a LeNet-like chain (the importer module's test fixture). */
    static final Path LENET = Path.of("..", "importer", "src", "test", "resources", "onnx", "lenet_op13", "model.onnx")
            .toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void importThenCompile() throws IOException {
        Cli.Run imported = Cli.run("import", LENET.toString(), "-o", tmp.toString(), "--name", "LeNet");
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("next: striate compile " + tmp.resolve("model.cnn")), imported.out());
        assertTrue(Files.readString(tmp.resolve("model.cnn")).contains("model LeNet {"));
        assertTrue(Files.isRegularFile(tmp.resolve("model.weights.bin")));
        Cli.Run compiled = Cli.run("compile", tmp.resolve("model.cnn").toString(), "-o", tmp.resolve("gen").toString());
        assertEquals(0, compiled.exitCode(), compiled.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("gen/LeNet.java")), compiled.toString());
    }

    @Test
    void compileAnOnnxFileDirectly() {
        Cli.Run run = Cli.run("compile", LENET.toString(), "-p", "com.acme", "-o", tmp.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("com/acme/Model.java")), run.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("com/acme/Model.weights")), run.toString());
    }

    /** An error found when compiling the imported model is reported at the .onnx file, not at a deleted temporary file. */
    @Test
    void compileErrorsPointAtTheOnnxFile() {
        Cli.Run run = Cli.run("compile", LENET.toString(), "--max-params", "100", "-o", tmp.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(LENET + ": error: "), run.err());
        assertTrue(run.err().contains("[E505]") && run.err().contains("of the imported .cnn)"), run.err());
        assertFalse(run.err().contains("striate-import"), run.err());
    }

    @Test
    void compileRefusesWeightsBesideAnOnnxFile() {
        Cli.Run run = Cli.run("compile", LENET.toString(), "--weights", "w.weights.json", "-o", tmp.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--weights does not apply to an ONNX model"), run.err());
    }

    @Test
    void notAnOnnxFileIsAUserErrorAndWritesNothing() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.onnx"), "not a model");
        Path out = tmp.resolve("out");
        Cli.Run run = Cli.run("import", bad.toString(), "-o", out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[E601]"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        assertFalse(Files.exists(out.resolve("bad.cnn")));
    }

    @Test
    void missingFile() {
        Cli.Run run = Cli.run("import", tmp.resolve("none.onnx").toString(), "-o", tmp.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("file not found [E503]"), run.err());
    }

    /** The importer's safetensors fixture: an nn.Sequential LeNet-5 state_dict and a .cnn with default names. */
    static final Path LENET_ST = Path.of("..", "importer", "src", "test", "resources", "safetensors", "lenet_f16")
            .toAbsolutePath().normalize();

    @Test
    void importSafetensorsWeightsThenCompile() throws IOException {
        Path cnn = Files.copy(LENET_ST.resolve("model.cnn"), tmp.resolve("lenet.cnn"));
        Cli.Run imported = Cli.run("import", LENET_ST.resolve("weights.safetensors").toString(), "--model", cnn.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("features.0.weight -> conv2d_1.weight (by shape)"), imported.out());
        assertTrue(imported.out().contains("wrote " + tmp.resolve("lenet.weights.json")), imported.out());
        Cli.Run compiled = Cli.run("compile", cnn.toString(), "-o", tmp.resolve("gen").toString());
        assertEquals(0, compiled.exitCode(), compiled.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("gen/LeNet.java")), compiled.toString());
    }

    @Test
    void safetensorsNeedsTheModelAndMapsAreChecked() throws IOException {
        Path st = LENET_ST.resolve("weights.safetensors");
        Cli.Run run = Cli.run("import", st.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--model MODEL.cnn"), run.err());
        Path cnn = Files.copy(LENET_ST.resolve("model.cnn"), tmp.resolve("lenet.cnn"));
        Path out = tmp.resolve("w.weights.json");
        run = Cli.run("import", st.toString(), "--model", cnn.toString(), "--map", "features.0=conv2d_2", "-o",
                out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[E608]"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void pytorchCheckpointIsRefusedWithBothCommands() throws IOException {
        Path pt = Files.write(tmp.resolve("net.pth"), new byte[] {'P', 'K', 3, 4});
        Cli.Run run = Cli.run("import", pt.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[E601]") && run.err().contains("torch.onnx.export")
                && run.err().contains("save_file"), run.err());
    }
}
