package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.importer.onnx.OnnxImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMojoTest {
    @TempDir
    Path base;
    GenerateMojo mojo;
    MavenProject project = new MavenProject();
    RecordingLog log = new RecordingLog();
    FakeCompiler compiler = new FakeCompiler();

    @BeforeEach
    void configure() {
        mojo = TestMojos.generate(base, project, compiler, log, null);
    }

    @Test
    void addsTheGeneratedFoldersToTheBuildOnce() throws Exception {
        model("com/acme/digits.cnn", "Digits\nmodel Digits {}");

        mojo.execute();
        mojo.execute();

        assertEquals(List.of(mojo.outputDirectory.getAbsolutePath()), project.getCompileSourceRoots());
        assertEquals(List.of(mojo.resourceOutputDirectory.getAbsolutePath()),
                project.getResources().stream().map(Resource::getDirectory).toList());
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Digits.java")));
        assertEquals(List.of("Compiling com/acme/digits.cnn", "Striate: 1 model compiled, 0 up to date in #.## s",
                "com/acme/digits.cnn is up to date", "Striate: 0 models compiled, 1 up to date in #.## s"),
                log.at("info").stream().map(l -> l.replaceAll("\\d+\\.\\d\\d s$", "#.## s")).toList());
    }

    @Test
    void twoExecutionsKeepEachOthersOutputs() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        Path other = base.resolve("src/other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("edges.cnn"), "Edges\nmodel Edges {}");
        GenerateMojo second = TestMojos.generate(base, project, compiler, log, null);
        second.sourceDirectory = other.toFile();
        mojo.execution = new MojoExecution(new MojoDescriptor(), "default");
        second.execution = new MojoExecution(new MojoDescriptor(), "other");

        for (int build = 0; build < 2; build++) {
            mojo.execute();
            second.execute();
        }

        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("Digits.java")));
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("Edges.java")));
        assertEquals(2, compiler.compiled.size());
    }

    @Test
    void singleFileModeAddsNoResourceFolder() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.singleFile = true;

        mojo.execute();

        assertEquals(1, project.getCompileSourceRoots().size());
        assertEquals(List.of(), project.getResources());
    }

    @Test
    void skipCompilesNothingButKeepsAnEarlierGeneratedTreeInTheBuild() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.execute();
        compiler.compiled.clear();
        model("digits.cnn", "Digits\nmodel Digits { changed }");
        MavenProject next = new MavenProject();
        mojo.project = next;
        mojo.skip = true;

        mojo.execute();

        assertEquals(List.of(), compiler.compiled);
        assertEquals(List.of(mojo.outputDirectory.getAbsolutePath()), next.getCompileSourceRoots());
        assertEquals(List.of(mojo.resourceOutputDirectory.getAbsolutePath()),
                next.getResources().stream().map(Resource::getDirectory).toList());
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("Digits.java")), "skip removes nothing");
        assertEquals("Skipping Striate generation (striate.skip=true); earlier generated folders stay in the build",
                log.at("info").get(log.at("info").size() - 1));
    }

    @Test
    void skipAddsNoFolderThatWasNeverGenerated() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.skip = true;

        mojo.execute();

        assertEquals(List.of(), compiler.compiled);
        assertEquals(List.of(), project.getCompileSourceRoots());
        assertEquals(List.of(), project.getResources());
    }

    @Test
    void excludedModelsAreNotCompiledAndLoseTheirOutputs() throws Exception {
        model("com/acme/digits.cnn", "Digits\nmodel Digits {}");
        model("com/acme/draft/edges.cnn", "Edges\nmodel Edges {}");
        mojo.execute();
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/draft/Edges.java")));
        compiler.compiled.clear();

        mojo.excludes = List.of("**/draft/**");
        mojo.execute();

        assertEquals(List.of(), compiler.compiled, "digits is up to date, edges excluded");
        assertFalse(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/draft/Edges.java")));
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Digits.java")));

        mojo.excludes = null;
        mojo.includes = List.of("com/acme/draft/*.cnn");
        mojo.execute();

        assertEquals(List.of(mojo.sourceDirectory.toPath().toAbsolutePath().resolve("com/acme/draft/edges.cnn")),
                compiler.compiled);
        assertFalse(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Digits.java")));
    }

    @Test
    void withoutModelsItSaysSoAndAddsNothing() throws Exception {
        mojo.execute();

        assertEquals(List.of("No Striate models (**/*.cnn, **/*.onnx, **/*.keras, **/*.h5) in " + mojo.sourceDirectory), log.at("info"));
        assertEquals(List.of(), project.getCompileSourceRoots());
    }

    @Test
    void deletingTheLastModelRemovesItsOutputs() throws Exception {
        Path digits = model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.execute();
        Files.delete(digits);

        mojo.execute();

        assertFalse(Files.exists(mojo.outputDirectory.toPath().resolve("Digits.java")));
        assertFalse(Files.exists(mojo.resourceOutputDirectory.toPath().resolve("Digits.weights")));
    }

    @Test
    void eachErrorIsLoggedOnceAndTheFailureSummarizes() throws IOException {
        Path a = model("a.cnn", "A\n!error");
        Path b = model("b.cnn", "B\nmodel B {}\n!error");

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        assertEquals(List.of(
                a + ":2:3: error: syntax error: unexpected '!' [E001]",
                b + ":3:3: error: syntax error: unexpected '!' [E001]"), log.at("error"));
        assertEquals("Striate found 2 errors, the first in " + a + ":2:3 (logged above)", failure.getMessage());
    }

    @Test
    void aBrokenTreeLogsTheFirstFiftyErrorsAndCountsTheRest() throws IOException {
        for (int i = 0; i < 57; i++) {
            model(String.format("m%02d.cnn", i), "M" + i + "\n!error");
        }

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        List<String> errors = log.at("error");
        assertEquals(51, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(49).startsWith(mojo.sourceDirectory.toPath().toAbsolutePath().resolve("m49.cnn") + ":2:3"),
                errors.get(49));
        assertEquals("... and 7 more errors not shown (the log shows the first 50 of each kind; mvn -X shows all)",
                errors.get(50));
        assertEquals(7, log.at("debug").stream().filter(l -> l.contains(": error: syntax error")).count(),
                "the rest at debug level");
        assertTrue(failure.getMessage().startsWith("Striate found 57 errors, the first in "), failure.getMessage());
    }

    @Test
    void aCompilerCrashIsAnInternalError() throws IOException {
        model("a.cnn", "A\nmodel A {}");
        mojo.compiler = request -> {
            throw new IllegalStateException("boom");
        };

        MojoExecutionException error = assertThrows(MojoExecutionException.class, mojo::execute);

        assertEquals("Internal error in the Striate compiler: java.lang.IllegalStateException: boom",
                error.getMessage());
    }

    @Test
    void theCeilingsReachTheCompilerAndAChangeRecompiles() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.maxParams = 1234L;
        mojo.maxActivationFloats = 5678L;

        mojo.execute();
        mojo.execute();

        assertEquals(1, compiler.compiled.size(), "unchanged settings: up to date");
        Limits limits = compiler.requests.get(0).limits();
        assertEquals(1234L, limits.maxParams());
        assertEquals(5678L, limits.maxActivationFloats());
        assertEquals(Limits.defaults().maxWeightsBytes(), limits.maxWeightsBytes());

        mojo.maxWeightsBytes = 99L;
        mojo.execute();

        assertEquals(2, compiler.compiled.size(), "a new ceiling is a new setting");
        assertEquals(99L, compiler.requests.get(1).limits().maxWeightsBytes());
    }

    @Test
    void aCeilingBelowOneIsRefused() throws IOException {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.maxActivationFloats = 0L;

        MojoExecutionException error = assertThrows(MojoExecutionException.class, mojo::execute);

        assertEquals("<maxActivationFloats> must be at least 1, got 0", error.getMessage());
    }

    @Test
    void aModelOverACeilingFailsTheBuildAtItsLayer() throws IOException {
        Path a = model("wide.cnn", "model Wide {\n    input x: [8]\n    dense(100)\n}\n");
        mojo.compiler = Compiler::compile;
        mojo.maxParams = 100L;

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        assertEquals(List.of(a + ":3:5: error: model Wide passes the limit of 100 parameters at layer dense_1 (900 so "
                + "far); raise it with <maxParams> and the JVM's -Xmx [E505]"), log.at("error"));
        assertEquals("Striate found 1 error, in " + a + ":3:5 (logged above)", failure.getMessage());
    }

    /**
     * Every compiler message that advises changing a setting, through the real compiler: each
     * error is logged exactly once, names the plugin's parameter and never a command-line flag.
     */
    @Test
    void messagesNameParametersNeverCommandLineFlags() throws IOException {
        String dense = "model %s {\n    input x: [%d]\n    dense(%d)\n}\n";
        model("params/p.cnn", String.format(dense, "P", 8, 2_000));
        model("floats/f.cnn", String.format(dense, "F", 2, 3_000));
        model("noweights/n.cnn", String.format(dense, "N", 2, 2));
        model("heavy/h.cnn", String.format(dense, "H", 2, 2));
        model("heavy/h.weights.json", "{\"format\": \"striate-weights\", \"version\": 1, \"model\": \"H\", "
                + "\"tensors\": [{\"name\": \"dense_1.weight\", \"shape\": [2, 2], \"dtype\": \"float32\", "
                + "\"values\": [1, 2, 3, 4]}, {\"name\": \"dense_1.bias\", \"shape\": [2], \"dtype\": \"float32\", "
                + "\"values\": [0, 0]}]}");
        mojo.compiler = Compiler::compile;
        mojo.maxParams = 10_000L;
        mojo.maxActivationFloats = 2_500L;
        mojo.maxWeightsBytes = 8L;

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        List<String> errors = log.at("error");
        assertEquals(4, errors.size(), String.join("\n", errors));
        assertEquals(errors.size(), Set.copyOf(errors).size(), "each error once");
        for (String expected : new String[] {"raise it with <maxParams> and the JVM's -Xmx [E505]",
                "raise it with <maxActivationFloats> [E506]", "the ceiling is <maxWeightsBytes>, by default",
                "weights file not found (run 'striate init' to create seeded weights) [E503]"}) {
            assertEquals(1, errors.stream().filter(e -> e.contains(expected)).count(), expected + " in " + errors);
        }
        Pattern flag = Pattern.compile("(^|\\s|\\()--[a-z]");
        for (String line : log.lines) {
            assertFalse(flag.matcher(line).find(), "a command-line flag in the plugin's log: " + line);
        }
        assertFalse(flag.matcher(failure.getMessage()).find(), failure.getMessage());
        assertFalse(failure.getMessage().contains("[E50"), "the failure does not repeat the errors");
    }

    @Test
    void theSingleFileCapNamesTheParameter() throws IOException {
        Path big = model("big.cnn", "model Big {\n    input x: [2048]\n    dense(2048)\n}\n");
        mojo.compiler = Compiler::compile;
        mojo.singleFile = true;

        assertThrows(MojoFailureException.class, mojo::execute);

        assertEquals(List.of(big + ":3:5: error: model Big has 4,196,352 parameters; <singleFile> embeds at most "
                + "4,194,304 (16 MB) in the Java source, a limit first passed at layer dense_1: drop <singleFile> to "
                + "write the weights as a resource blob beside the class [E508]"), log.at("error"));
    }

    /** An ONNX model in the source directory is imported and compiled; nothing is written beside it. */
    @Test
    void compilesAnOnnxModel() throws IOException, MojoExecutionException, MojoFailureException {
        Path onnx = onnxModel("com/acme/lenet.onnx", "lenet_op13/model.onnx");

        mojo.execute();
        mojo.execute();

        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Lenet.java")));
        assertTrue(Files.exists(mojo.resourceOutputDirectory.toPath().resolve("com/acme/Lenet.weights")));
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("com/acme/lenet.onnx is up to date")), log.lines.toString());
        try (Stream<Path> beside = Files.list(onnx.getParent())) {
            assertEquals(List.of(onnx), beside.toList());
        }
    }

    /** A Keras model (Keras 3 .keras, Keras 2 .h5) in the source directory is imported and compiled; nothing is written beside it. */
    @Test
    void compilesKerasModels() throws IOException, MojoExecutionException, MojoFailureException {
        Path keras = importerFixture("com/acme/digits.keras", "keras", "mnist_cnn_keras3/model.keras");
        Path h5 = importerFixture("com/acme/zoo.h5", "keras", "zoo_keras2/model.h5");

        mojo.execute();

        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Digits.java")));
        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Zoo.java")));
        assertTrue(Files.exists(mojo.resourceOutputDirectory.toPath().resolve("com/acme/Digits.weights")));
        try (Stream<Path> beside = Files.list(keras.getParent())) {
            assertEquals(List.of(keras, h5), beside.sorted().toList());
        }
    }

    /** A warning about an imported ONNX model names the .onnx file (and the line of the imported .cnn), no temporary file. */
    @Test
    void warningsOfAnOnnxModelAreAtTheOnnxFile() throws IOException, MojoExecutionException, MojoFailureException {
        Path onnx = onnxModel("one.onnx", "warned/softmax_one_channel.onnx");

        mojo.execute();

        List<String> warnings = log.at("warn");
        assertEquals(1, warnings.size(), log.lines.toString());
        assertTrue(warnings.get(0).startsWith(onnx + ": warning: softmax over 1 channel"), warnings.toString());
        assertTrue(warnings.get(0).endsWith(" of the imported .cnn) [E109]"), warnings.toString());
    }

    /** Copies the importer's ONNX fixture {@code fixture} to {@code rel} in the source directory; compiles for real. */
    private Path onnxModel(String rel, String fixture) throws IOException {
        return importerFixture(rel, "onnx", fixture);
    }

    /** Copies the importer's fixture {@code folder/fixture} to {@code rel} in the source directory; compiles for real. */
    private Path importerFixture(String rel, String folder, String fixture) throws IOException {
        Path model = mojo.sourceDirectory.toPath().resolve(rel);
        Files.createDirectories(model.getParent());
        Files.copy(Path.of("..", "importer", "src", "test", "resources", folder).resolve(fixture), model);
        mojo.compiler = OnnxImport::compile;
        return model;
    }

    private Path model(String rel, String text) throws IOException {
        return TestMojos.write(mojo.sourceDirectory.toPath(), rel, text);
    }
}
