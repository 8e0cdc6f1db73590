package dev.striate.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.sonatype.plexus.build.incremental.BuildContext;

/** The goals configured as Maven would for a project in {@code base}, with their default folders. */
final class TestMojos {
    private TestMojos() {
    }

    static GenerateMojo generate(Path base, MavenProject project, FakeCompiler compiler, Log log,
                                 BuildContext context) {
        GenerateMojo mojo = new GenerateMojo();
        mojo.sourceDirectory = base.resolve("src/main/striate").toFile();
        mojo.outputDirectory = base.resolve("target/generated-sources/striate").toFile();
        mojo.resourceOutputDirectory = base.resolve("target/generated-resources/striate").toFile();
        mojo.stateDirectory = base.resolve("target/striate-state").toFile();
        wire(mojo, project, compiler, log, context);
        return mojo;
    }

    static GenerateTestMojo generateTest(Path base, MavenProject project, FakeCompiler compiler, Log log,
                                         BuildContext context) {
        GenerateTestMojo mojo = new GenerateTestMojo();
        mojo.sourceDirectory = base.resolve("src/test/striate").toFile();
        mojo.outputDirectory = base.resolve("target/generated-test-sources/striate").toFile();
        mojo.resourceOutputDirectory = base.resolve("target/generated-test-resources/striate").toFile();
        mojo.stateDirectory = base.resolve("target/striate-test-state").toFile();
        wire(mojo, project, compiler, log, context);
        return mojo;
    }

    private static void wire(AbstractGenerateMojo mojo, MavenProject project, FakeCompiler compiler, Log log,
                             BuildContext context) {
        mojo.project = project;
        mojo.compiler = compiler;
        mojo.buildContext = context;
        mojo.setLog(log);
    }

    /** Writes {@code text} to {@code rel} under {@code dir}, creating folders. */
    static Path write(Path dir, String rel, String text) throws IOException {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, text);
    }
}
