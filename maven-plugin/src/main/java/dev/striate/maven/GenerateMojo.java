package dev.striate.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code .cnn} model under {@code sourceDirectory} (weights beside each model as
 * {@code <name>.weights.json}) into a standalone Java classifier, adds the generated sources as a
 * compile source root and the weights blobs as a resource root. Models whose model file, weights
 * and settings did not change since the last build are not recompiled. Each error is logged once
 * with its {@code file:line:col} and code, and the build fails with a summary.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {

    /** Where the {@code .cnn} models are; a model's folder under it is its package. */
    @Parameter(property = "striate.sourceDirectory", defaultValue = "${project.basedir}/src/main/striate")
    File sourceDirectory;

    /** Where the generated Java sources go; added to the project's compile source roots. */
    @Parameter(property = "striate.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/striate")
    File outputDirectory;

    /** Where the generated weights blobs go; added to the project's resources. */
    @Parameter(property = "striate.resourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/striate")
    File resourceOutputDirectory;

    /**
     * Where the incremental build remembers what each model's last compilation read and wrote,
     * in one folder per execution of the goal.
     */
    @Parameter(defaultValue = "${project.build.directory}/striate-state", readonly = true, required = true)
    File stateDirectory;

    @Override
    Folders folders() {
        return new Folders(sourceDirectory, outputDirectory, resourceOutputDirectory, stateDirectory);
    }

    @Override
    boolean forTests() {
        return false;
    }

    @Override
    String skipReason() {
        return skip ? "striate.skip=true" : null;
    }
}
