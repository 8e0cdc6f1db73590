package dev.striate.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.model.Resource;
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
    File sourceDirectory() {
        return sourceDirectory;
    }

    @Override
    File outputDirectory() {
        return outputDirectory;
    }

    @Override
    File resourceOutputDirectory() {
        return resourceOutputDirectory;
    }

    @Override
    File stateDirectory() {
        return stateDirectory;
    }

    @Override
    String skipReason() {
        return skip ? "striate.skip=true" : mavenTestSkip ? "maven.test.skip=true" : null;
    }

    @Override
    List<String> sourceRoots() {
        return project.getTestCompileSourceRoots();
    }

    @Override
    void addSourceRoot(String directory) {
        project.addTestCompileSourceRoot(directory);
    }

    @Override
    List<Resource> resources() {
        return project.getTestResources();
    }

    @Override
    void addResource(Resource resource) {
        project.addTestResource(resource);
    }
}
