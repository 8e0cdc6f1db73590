package dev.striate.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The {@code generate} goal for test code: compiles the {@code .cnn} models under
 * {@code src/test/striate} into classes that only the tests see, adding the generated sources as
 * a test compile source root and the weights blobs as a test resource root.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {

    /** Where the test {@code .cnn} models are; a model's folder under it is its package. */
    @Parameter(property = "striate.testSourceDirectory", defaultValue = "${project.basedir}/src/test/striate")
    File sourceDirectory;

    /** Where the generated Java sources go; added to the project's test compile source roots. */
    @Parameter(property = "striate.testOutputDirectory",
            defaultValue = "${project.build.directory}/generated-test-sources/striate")
    File outputDirectory;

    /** Where the generated weights blobs go; added to the project's test resources. */
    @Parameter(property = "striate.testResourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-test-resources/striate")
    File resourceOutputDirectory;

    /** Where the incremental build keeps its state, apart from the {@code generate} goal's. */
    @Parameter(defaultValue = "${project.build.directory}/striate-test-state", readonly = true, required = true)
    File stateDirectory;

    /** Skips this goal too when the tests are not compiled ({@code -Dmaven.test.skip=true}). */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean mavenTestSkip;

    @Override
    Folders folders() {
        return new Folders(sourceDirectory, outputDirectory, resourceOutputDirectory, stateDirectory);
    }

    @Override
    boolean forTests() {
        return true;
    }

    @Override
    String skipReason() {
        return skip ? "striate.skip=true" : mavenTestSkip ? "maven.test.skip=true" : null;
    }
}
