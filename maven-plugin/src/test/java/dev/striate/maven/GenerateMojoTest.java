package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    GenerateMojo mojo = new GenerateMojo();
    MavenProject project = new MavenProject();
    RecordingLog log = new RecordingLog();
    FakeCompiler compiler = new FakeCompiler();

    @BeforeEach
    void configure() {
        mojo.sourceDirectory = base.resolve("src/main/striate").toFile();
        mojo.outputDirectory = base.resolve("target/generated-sources/striate").toFile();
        mojo.resourceOutputDirectory = base.resolve("target/generated-resources/striate").toFile();
        mojo.stateDirectory = base.resolve("target/striate-state").toFile();
        mojo.project = project;
        mojo.compiler = compiler;
        mojo.setLog(log);
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
        GenerateMojo second = new GenerateMojo();
        second.sourceDirectory = other.toFile();
        second.outputDirectory = mojo.outputDirectory;
        second.resourceOutputDirectory = mojo.resourceOutputDirectory;
        second.stateDirectory = mojo.stateDirectory;
        second.project = project;
        second.compiler = compiler;
        second.setLog(log);
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
    void skipDoesNothing() throws Exception {
        model("digits.cnn", "Digits\nmodel Digits {}");
        mojo.skip = true;

        mojo.execute();

        assertEquals(List.of(), compiler.compiled);
        assertEquals(List.of(), project.getCompileSourceRoots());
    }

    @Test
    void withoutModelsItSaysSoAndAddsNothing() throws Exception {
        mojo.execute();

        assertEquals(List.of("No Striate models (*.cnn) in " + mojo.sourceDirectory), log.at("info"));
        assertEquals(List.of(), project.getCompileSourceRoots());
    }

    @Test
    void errorsFailTheBuildWithOneLinePerDiagnostic() throws IOException {
        Path a = model("a.cnn", "A\n!error");
        Path b = model("b.cnn", "B\nmodel B {}\n!error");

        MojoFailureException failure = assertThrows(MojoFailureException.class, mojo::execute);

        List<String> lines = List.of(
                a + ":2:3: error: syntax error: unexpected '!' [E001]",
                b + ":3:3: error: syntax error: unexpected '!' [E001]");
        assertEquals("Striate found 2 errors:" + System.lineSeparator() + String.join(System.lineSeparator(), lines),
                failure.getMessage());
        assertEquals(lines, log.at("error"));
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
                + "far); raise it with --max-params (plugin: <maxParams>) and the JVM's -Xmx [E505]"), log.at("error"));
        assertTrue(failure.getMessage().contains("[E505]"));
    }

    private Path model(String rel, String text) throws IOException {
        Path f = mojo.sourceDirectory.toPath().resolve(rel);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, text);
    }
}
