package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.Limits;
import dev.striate.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalGeneratorTest {
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path project;
    Path src;
    Path sources;
    Path resources;
    FakeCompiler compiler = new FakeCompiler();
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void twoModels() throws IOException {
        src = project.resolve("src/main/striate");
        sources = project.resolve("target/generated-sources/striate");
        resources = project.resolve("target/generated-resources/striate");
        write("com/acme/digits.cnn", "Digits\nmodel Digits {}");
        write("com/acme/digits.weights.json", "{\"w\": 1}");
        write("edges.cnn", "Edges\nmodel Edges {}");
        write("edges.weights.json", "{\"w\": 2}");
    }

    @Test
    void compilesEachModelIntoItsFolderPackage() throws IOException {
        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(new IncrementalGenerator.Outcome(2, 0, List.of()), outcome);
        assertTrue(Files.readString(sources.resolve("com/acme/Digits.java")).startsWith("package com.acme;"));
        assertTrue(Files.readString(sources.resolve("Edges.java")).startsWith("package ;"));
        assertEquals("{\"w\": 1}", Files.readString(resources.resolve("com/acme/Digits.weights")));
        assertEquals(List.of("Compiling com/acme/digits.cnn", "Compiling edges.cnn"), log.at("info"));
    }

    @Test
    void anExplicitPackageAppliesToEveryModel() throws IOException {
        run("org.example", "c1");
        assertTrue(Files.exists(sources.resolve("org/example/Digits.java")));
        assertTrue(Files.exists(sources.resolve("org/example/Edges.java")));
    }

    @Test
    void aRebuildWithoutChangesCompilesNothingAndTouchesNothing() throws IOException {
        run(null, "c1");
        Path digits = sources.resolve("com/acme/Digits.java");
        Files.setLastModifiedTime(digits, LONG_AGO);
        compiler.compiled.clear();

        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(new IncrementalGenerator.Outcome(0, 2, List.of()), outcome);
        assertEquals(List.of(), compiler.compiled);
        assertEquals(LONG_AGO, Files.getLastModifiedTime(digits));
    }

    @Test
    void changedWeightsRecompileOnlyTheirModel() throws IOException {
        run(null, "c1");
        Files.setLastModifiedTime(sources.resolve("Edges.java"), LONG_AGO);
        compiler.compiled.clear();
        write("com/acme/digits.weights.json", "{\"w\": 3}");

        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(new IncrementalGenerator.Outcome(1, 1, List.of()), outcome);
        assertEquals(List.of(src.resolve("com/acme/digits.cnn")), compiler.compiled);
        assertTrue(Files.readString(sources.resolve("com/acme/Digits.java")).contains("{\"w\": 3}"));
        assertEquals(LONG_AGO, Files.getLastModifiedTime(sources.resolve("Edges.java")));
    }

    @Test
    void aBlobNamedByTheManifestIsAnInput() throws IOException {
        write("edges.weights.json", "{\"data\": \"edges.weights.bin\"}");
        write("edges.weights.bin", "1234");
        run(null, "c1");
        compiler.compiled.clear();
        write("edges.weights.bin", "5678");

        run(null, "c1");

        assertEquals(List.of(src.resolve("edges.cnn")), compiler.compiled);
    }

    @Test
    void otherSettingsOrANewCompilerRecompileEverything() throws IOException {
        run(null, "c1");
        compiler.compiled.clear();
        assertEquals(2, run(null, "c2").compiled());
        assertEquals(2, run("org.example", "c2").compiled());
    }

    @Test
    void theOptimizeSettingReachesTheCompilerAndRecompilesWhenItChanges() throws IOException {
        run(null, "c1");
        assertTrue(compiler.requests.stream().allMatch(CompileRequest::optimize), "optimized by default");
        compiler.compiled.clear();
        compiler.requests.clear();
        GeneratorSettings plain = new GeneratorSettings(sources, resources, project.resolve("target/state"), null,
                false, false);
        assertEquals(2, new IncrementalGenerator(plain, compiler, "c1", log).run(ModelScanner.scan(src)).compiled());
        assertTrue(compiler.requests.stream().noneMatch(CompileRequest::optimize), "optimize=false passed on");
    }

    @Test
    void theVectorSettingReachesTheCompilerAndRecompilesWhenItChanges() throws IOException {
        run(null, "c1");
        assertTrue(compiler.requests.stream().noneMatch(CompileRequest::vector), "scalar only by default");
        compiler.compiled.clear();
        compiler.requests.clear();
        GeneratorSettings vector = new GeneratorSettings(sources, resources, project.resolve("target/state"), null,
                false, true, Limits.defaults(), true);
        assertEquals(2, new IncrementalGenerator(vector, compiler, "c1", log).run(ModelScanner.scan(src)).compiled());
        assertTrue(compiler.requests.stream().allMatch(CompileRequest::vector), "vector=true passed on");
    }

    @Test
    void aDeletedOutputIsRegenerated() throws IOException {
        run(null, "c1");
        Files.delete(resources.resolve("Edges.weights"));
        compiler.compiled.clear();

        run(null, "c1");

        assertEquals(List.of(src.resolve("edges.cnn")), compiler.compiled);
        assertTrue(Files.exists(resources.resolve("Edges.weights")));
    }

    @Test
    void collectsTheErrorsOfEveryModelAndLogsWarnings() throws IOException {
        write("com/acme/digits.cnn", "Digits\n!error\n!error");
        write("edges.cnn", "Edges\n!warn");
        write("bad.cnn", "Bad\n!error");

        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(List.of(
                src.resolve("bad.cnn") + ":2:3: error: syntax error: unexpected '!' [E001]",
                src.resolve("com/acme/digits.cnn") + ":2:3: error: syntax error: unexpected '!' [E001]",
                src.resolve("com/acme/digits.cnn") + ":3:3: error: syntax error: unexpected '!' [E001]"),
                formatted(outcome));
        assertEquals(formatted(outcome), log.at("error"), "each error is logged once, as it is found");
        assertEquals(List.of(src.resolve("edges.cnn") + ":2:3: warning: value 'h' is never used [E206]"),
                log.at("warn"));
        assertEquals(1, outcome.compiled());
    }

    @Test
    void anErrorWithoutAPositionIsReportedAtItsModel() throws IOException {
        write("edges.cnn", "Edges\n!nowhere");

        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(List.of(src.resolve("edges.cnn") + ": error: class name 'int' is a keyword [E209]"),
                formatted(outcome));
    }

    @Test
    void aFailedModelIsRetriedNextTime() throws IOException {
        write("edges.cnn", "Edges\n!error");
        run(null, "c1");
        compiler.compiled.clear();

        run(null, "c1");

        assertEquals(List.of(src.resolve("edges.cnn")), compiler.compiled);
    }

    @Test
    void aFolderThatIsNoPackageIsAnError() throws IOException {
        write("my-models/m.cnn", "M\nmodel M {}");

        IncrementalGenerator.Outcome outcome = run(null, "c1");

        assertEquals(List.of(src.resolve("my-models/m.cnn")
                + ": error: package name 'my-models' (from the model's folder or <packageName>) is not a Java package"
                + " name: use dot-separated ASCII identifiers (letters, digits, '_'); rename the folder or set"
                + " <packageName> [E209]"),
                formatted(outcome));
    }

    @Test
    void twoModelsGeneratingOneClassAreAnError() throws IOException {
        write("edges.cnn", "Digits\nmodel Digits {}");

        IncrementalGenerator.Outcome outcome = run("org.example", "c1");

        assertEquals(1, outcome.errors().size());
        String error = formatted(outcome).get(0);
        assertTrue(error.startsWith(src.resolve("edges.cnn") + ": error: generates "), error);
        assertTrue(error.endsWith("which com/acme/digits.cnn also generates; give one model another name or package"
                + " [E202]"), error);

        compiler.compiled.clear();
        write("edges.cnn", "Edges\nmodel Edges {}");
        assertEquals(new IncrementalGenerator.Outcome(2, 0, List.of()), run("org.example", "c1"));
        assertTrue(Files.readString(sources.resolve("org/example/Digits.java")).contains("model Digits"));
    }

    @Test
    void theOutputsOfADeletedModelAreRemoved() throws IOException {
        run(null, "c1");
        Files.delete(src.resolve("edges.cnn"));

        run(null, "c1");

        assertFalse(Files.exists(sources.resolve("Edges.java")));
        assertFalse(Files.exists(resources.resolve("Edges.weights")));
        assertTrue(Files.exists(sources.resolve("com/acme/Digits.java")));
    }

    @Test
    void singleFileModeWritesNoResource() throws IOException {
        new IncrementalGenerator(new GeneratorSettings(sources, resources, project.resolve("target/state"), null,
                true, true), compiler, "c1", log).run(ModelScanner.scan(src));
        assertTrue(Files.exists(sources.resolve("Edges.java")));
        assertFalse(Files.exists(resources));
    }

    @Test
    void theCompilerStampChangesWhenTheCompilerIsRebuilt() throws IOException {
        Path jar = Files.writeString(project.resolve("striate-compiler.jar"), "jar");
        Path classes = Files.createDirectories(project.resolve("classes/dev/striate")).getParent().getParent();
        Path clazz = Files.writeString(classes.resolve("dev/striate/Compiler.class"), "class");
        Files.setLastModifiedTime(jar, LONG_AGO);
        Files.setLastModifiedTime(clazz, LONG_AGO);
        String jarStamp = IncrementalGenerator.stampOf(jar);
        String classesStamp = IncrementalGenerator.stampOf(classes);

        assertEquals("striate-compiler.jar:3:" + LONG_AGO.toMillis(), jarStamp);
        assertEquals("classes:" + LONG_AGO.toMillis(), classesStamp);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(LONG_AGO.toMillis() + 1000));
        Files.setLastModifiedTime(clazz, FileTime.fromMillis(LONG_AGO.toMillis() + 1000));
        assertFalse(jarStamp.equals(IncrementalGenerator.stampOf(jar)));
        assertFalse(classesStamp.equals(IncrementalGenerator.stampOf(classes)));
        assertTrue(IncrementalGenerator.stampOf(dev.striate.Compiler.class).matches("[\\w.-]+:\\d+(:\\d+)?"));
    }

    private IncrementalGenerator.Outcome run(String packageName, String compilerStamp) throws IOException {
        GeneratorSettings settings = new GeneratorSettings(sources, resources, project.resolve("target/state"),
                packageName, false, true);
        return new IncrementalGenerator(settings, compiler, compilerStamp, log).run(ModelScanner.scan(src));
    }

    private static List<String> formatted(IncrementalGenerator.Outcome outcome) {
        return outcome.errors().stream().map(Diagnostic::format).toList();
    }

    private void write(String rel, String text) throws IOException {
        Path f = src.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
