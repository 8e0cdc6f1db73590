package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.build.incremental.DefaultBuildContext;

/**
 * What an IDE sees through {@link org.sonatype.plexus.build.incremental.BuildContext}: markers on
 * the lines of the models, a refresh for every file written or removed, old markers cleared before
 * a model is checked again, and unchanged models skipped on the IDE's word.
 */
class BuildContextTest {
    @TempDir
    Path base;
    RecordingBuildContext ide = new RecordingBuildContext();
    RecordingLog log = new RecordingLog();
    FakeCompiler compiler = new FakeCompiler();
    GenerateMojo mojo;
    Path src;
    Path out;

    @BeforeEach
    void configure() {
        mojo = TestMojos.generate(base, new MavenProject(), compiler, log, ide);
        src = mojo.sourceDirectory.toPath().toAbsolutePath();
        out = mojo.outputDirectory.toPath().toAbsolutePath();
    }

    @Test
    void errorsAndWarningsAreMarkedOnTheirFileLineAndColumn() throws IOException {
        Path a = TestMojos.write(src, "a.cnn", "A\nmodel A {}\n!error");
        Path b = TestMojos.write(src, "com/b.cnn", "B\n!warn\nmodel B {}");

        assertThrows(MojoFailureException.class, mojo::execute);

        assertEquals(List.of(a + ":3:3 error syntax error: unexpected '!' [E001]",
                b + ":2:3 warning value 'h' is never used [E206]"), ide.calls("message"));
        assertEquals(List.of(a + ":3:3: error: syntax error: unexpected '!' [E001]"), log.at("error"),
                "the log still has each error, once");
    }

    @Test
    void theRealCompilersPositionsReachTheIde() throws IOException {
        Path model = TestMojos.write(src, "m.cnn", "model M {\n    input x: [2]\n    dense(2)\n}\n");
        Path manifest = TestMojos.write(src, "m.weights.json", "{\"format\": \"striate-weights\",\n  \"version\": 1,,\n}");
        Path wide = TestMojos.write(src, "wide.cnn", "model Wide {\n    input x: [8]\n    dense(100)\n}\n");
        mojo.compiler = Compiler::compile;
        mojo.maxParams = 100L;

        assertThrows(MojoFailureException.class, mojo::execute);

        List<String> messages = ide.calls("message");
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).matches(java.util.regex.Pattern.quote(manifest.toString()) + ":2:\\d+ error .*\\[E404]"),
                messages.get(0));
        assertEquals(wide + ":3:5 error model Wide passes the limit of 100 parameters at layer dense_1 (900 so far);"
                + " raise it with <maxParams> and the JVM's -Xmx [E505]", messages.get(1));
        assertTrue(ide.calls.indexOf("remove " + model) < ide.calls.indexOf("message " + messages.get(0)),
                "markers of the model are cleared before it is checked");
    }

    @Test
    void everyFileWrittenOrRemovedIsRefreshed() throws Exception {
        TestMojos.write(src, "com/acme/digits.cnn", "Digits\nmodel Digits {}");
        TestMojos.write(src, "edges.cnn", "Edges\nmodel Edges {}");
        Path resources = mojo.resourceOutputDirectory.toPath().toAbsolutePath();

        mojo.execute();

        assertEquals(List.of(out.resolve("com/acme/Digits.java").toString(),
                resources.resolve("com/acme/Digits.weights").toString(), out.resolve("Edges.java").toString(),
                resources.resolve("Edges.weights").toString()), ide.calls("refresh"));

        ide.calls.clear();
        mojo.execute();
        assertEquals(List.of(), ide.calls("refresh"), "nothing written, nothing to refresh");

        Files.delete(src.resolve("edges.cnn"));
        mojo.execute();
        assertEquals(List.of(resources.resolve("Edges.weights").toString(), out.resolve("Edges.java").toString()),
                ide.calls("refresh"));
    }

    @Test
    void aModelsMarkersAreClearedWhenItIsCheckedAgain() throws Exception {
        Path a = TestMojos.write(src, "a.cnn", "A\n!error");
        TestMojos.write(src, "b.cnn", "B\n!warn");
        assertThrows(MojoFailureException.class, mojo::execute);
        ide.calls.clear();

        TestMojos.write(src, "a.cnn", "A\nmodel A {}");
        mojo.execute();

        assertEquals(List.of(a.toString(), src.resolve("a.weights.json").toString()), ide.calls("remove"),
                "a is checked again; b is up to date and keeps its warning");
        assertEquals(List.of(), ide.calls("message"));
    }

    @Test
    void anIncrementalBuildTrustsTheIdesDelta() throws Exception {
        Path digits = TestMojos.write(src, "digits.cnn", "Digits\nmodel Digits {}");
        mojo.execute();
        compiler.compiled.clear();
        TestMojos.write(src, "digits.cnn", "Digits\nmodel Digits { v2 }");

        ide.incremental = true;
        mojo.execute();
        assertEquals(List.of(), compiler.compiled, "the IDE reported no change");
        assertTrue(ide.calls("hasDelta").contains(digits.toString()), ide.calls.toString());

        ide.delta.add(digits.toFile());
        mojo.execute();
        assertEquals(List.of(digits), compiler.compiled);

        compiler.compiled.clear();
        ide.incremental = false;
        mojo.execute();
        assertEquals(List.of(), compiler.compiled, "a full build compares contents: unchanged since the last one");
    }

    @Test
    void mavensDefaultContextGetsNoMarkersSoTheLogHasEachErrorOnce() throws IOException {
        List<String> marked = new ArrayList<>();
        mojo.buildContext = new DefaultBuildContext() {
            @Override
            public void addMessage(File file, int line, int column, String message, int severity, Throwable cause) {
                marked.add(message);
            }
        };
        Path a = TestMojos.write(src, "a.cnn", "A\n!error");

        assertThrows(MojoFailureException.class, mojo::execute);

        assertEquals(List.of(), marked, "Maven's default context would log the error a second time");
        assertEquals(List.of(a + ":2:3: error: syntax error: unexpected '!' [E001]"), log.at("error"));
    }
}
