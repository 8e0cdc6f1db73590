package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.Resource;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateTestMojoTest {
    @TempDir
    Path base;
    MavenProject project = new MavenProject();
    RecordingLog log = new RecordingLog();
    FakeCompiler compiler = new FakeCompiler();

    @Test
    void testModelsBecomeTestSourcesAndTestResources() throws Exception {
        GenerateTestMojo mojo = TestMojos.generateTest(base, project, compiler, log, null);
        TestMojos.write(mojo.sourceDirectory.toPath(), "com/acme/probe.cnn", "Probe\nmodel Probe {}");

        mojo.execute();

        assertTrue(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Probe.java")));
        assertEquals(List.of(mojo.outputDirectory.getAbsolutePath()), project.getTestCompileSourceRoots());
        assertEquals(List.of(mojo.resourceOutputDirectory.getAbsolutePath()),
                project.getTestResources().stream().map(Resource::getDirectory).toList());
        assertEquals(List.of(), project.getCompileSourceRoots(), "main code does not see test models");
        assertEquals(List.of(), project.getResources());
    }

    @Test
    void mainAndTestGoalsInOneExecutionKeepEachOthersOutputs() throws Exception {
        GenerateMojo main = TestMojos.generate(base, project, compiler, log, null);
        GenerateTestMojo test = TestMojos.generateTest(base, project, compiler, log, null);
        TestMojos.write(main.sourceDirectory.toPath(), "digits.cnn", "Digits\nmodel Digits {}");
        TestMojos.write(test.sourceDirectory.toPath(), "probe.cnn", "Probe\nmodel Probe {}");
        test.outputDirectory = main.outputDirectory;

        for (int build = 0; build < 2; build++) {
            main.execute();
            test.execute();
        }

        assertTrue(Files.exists(main.outputDirectory.toPath().resolve("Digits.java")));
        assertTrue(Files.exists(main.outputDirectory.toPath().resolve("Probe.java")));
        assertEquals(2, compiler.compiled.size(), "each compiled once, then up to date");
    }

    @Test
    void skippedWithTheTestsButTheEarlierTreeStaysInTheBuild() throws Exception {
        GenerateTestMojo mojo = TestMojos.generateTest(base, project, compiler, log, null);
        TestMojos.write(mojo.sourceDirectory.toPath(), "probe.cnn", "Probe\nmodel Probe {}");
        mojo.execute();
        compiler.compiled.clear();
        MavenProject next = new MavenProject();
        mojo.project = next;
        mojo.mavenTestSkip = true;

        mojo.execute();

        assertEquals(List.of(), compiler.compiled);
        assertEquals(List.of(mojo.outputDirectory.getAbsolutePath()), next.getTestCompileSourceRoots());
        assertEquals("Skipping Striate generation (maven.test.skip=true); earlier generated folders stay in the build",
                log.at("info").get(log.at("info").size() - 1));
    }
}
