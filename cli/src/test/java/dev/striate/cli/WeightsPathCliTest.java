package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weights {@code data} rules seen from the command line, with what a committed corpus cannot
 * hold: symbolic links and pipes made at test time. Every refusal is a positioned E407 at the
 * manifest, exit 1, and nothing of the refused file reaches the output folder.
 */
class WeightsPathCliTest {
    private static final String MODEL = "model M {\n    input x: [4]\n    dense(2)\n}\n";

    @TempDir
    Path root;

    /** A model with valid seeded weights in {@code root/model/}; returns the model file. */
    private Path model() throws IOException {
        Path dir = Files.createDirectories(root.resolve("model"));
        Path model = dir.resolve("model.cnn");
        Files.writeString(model, MODEL);
        Cli.Run init = Cli.run("init", model.toString());
        assertEquals(0, init.exitCode(), init.toString());
        return model;
    }

    private static void pointDataAt(Path model, String name) throws IOException {
        Path manifest = model.resolveSibling("model.weights.json");
        String json = Files.readString(manifest);
        assertTrue(json.contains("\"data\": \"model.weights.bin\""), json);
        Files.writeString(manifest, json.replace("\"data\": \"model.weights.bin\"", "\"data\": \"" + name + "\""));
    }

    private Cli.Run compile(Path model) throws IOException {
        Path out = Files.createDirectories(root.resolve("out"));
        return assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run("compile", model.toString(), "-o", out.toString()));
    }

    private static void refused(Cli.Run run, Path model, String message) {
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(model.resolveSibling("model.weights.json") + ":1:1: error: " + message),
                run.toString());
        assertTrue(run.err().contains("[E407]"), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }

    @Test
    void aLinkOutOfTheFolderIsRefusedAndNothingIsWritten() throws IOException {
        Path model = model();
        Path outside = root.resolve("secret.bin");
        Files.move(model.resolveSibling("model.weights.bin"), outside);
        Files.createSymbolicLink(model.resolveSibling("link.bin"), outside);
        pointDataAt(model, "link.bin");
        refused(Cli.run("check", model.toString()), model, "\"data\" \"link.bin\" is a link to "
                + outside.toRealPath() + ", outside the manifest's folder; the data file must be a regular file inside "
                + "the manifest's folder, named relative to it");
        refused(compile(model), model, "\"data\" \"link.bin\" is a link to ");
        assertFalse(Files.exists(root.resolve("out/M.weights")));
        refused(Cli.run("evaluate", model.toString(), "--data", root.resolve("no-data").toString()), model,
                "\"data\" \"link.bin\" is a link to ");
    }

    @Test
    void aLinkThatStaysInsideTheFolderCompiles() throws IOException {
        Path model = model();
        Path blobs = Files.createDirectories(model.resolveSibling("blobs"));
        Files.move(model.resolveSibling("model.weights.bin"), blobs.resolve("real.bin"));
        Files.createSymbolicLink(model.resolveSibling("link.bin"), Path.of("blobs", "real.bin"));
        pointDataAt(model, "link.bin");
        Cli.Run check = Cli.run("check", model.toString());
        assertEquals(0, check.exitCode(), check.toString());
        Cli.Run compile = compile(model);
        assertEquals(0, compile.exitCode(), compile.toString());
        assertTrue(Files.size(root.resolve("out/M.weights")) >= 40, "10 float32 parameters");
    }

    @Test
    void aPipeIsRefusedPromptly() throws Exception {
        Path model = model();
        Path pipe = model.resolveSibling("pipe.bin");
        boolean made;
        try {
            Process p = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            made = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            made = false;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        assertTrue(made || windows, "mkfifo failed on a POSIX system");
        if (made) {
            pointDataAt(model, "pipe.bin");
            refused(compile(model), model, "\"data\" \"pipe.bin\" is not a regular file (a device, pipe or socket)");
        }
    }

    @Test
    void aSyntaxErrorInTheManifestIsPositionedAtItsLine() throws IOException {
        Path model = model();
        Path manifest = model.resolveSibling("model.weights.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"version\": 1,", "\"version\": 1,,"));
        Cli.Run run = Cli.run("check", model.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(manifest + ":3:16: error: the manifest is not valid JSON (line 3, column 16): "),
                run.toString());
        assertTrue(run.err().contains("[E404]"), run.toString());
    }

    @Test
    void theCeilingReachesTheUserAsE408BeforeTheBlobIsRead() throws IOException {
        Path model = model();
        Path manifest = model.resolveSibling("model.weights.json");
        // 10 parameters take 40 bytes: a ceiling of 39 refuses them
        assertEquals(10, Compiler.readWeights(manifest, new WeightsFile.ReadLimits(40, 1 << 20)).tensors().values()
                .stream().mapToInt(t -> t.size()).sum());
        CompileException e = assertThrows(CompileException.class,
                () -> Compiler.readWeights(manifest, new WeightsFile.ReadLimits(39, 1 << 20)));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(ErrorCode.WEIGHTS_TOO_LARGE, d.code());
        assertEquals(new SourcePos(manifest.toString(), 1, 1), d.pos());
        assertTrue(d.message().startsWith("the tensors take 40 bytes as float32, more than the limit of 39 bytes"),
                d.message());
    }
}
