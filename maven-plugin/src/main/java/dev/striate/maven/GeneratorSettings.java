package dev.striate.maven;

import dev.striate.Limits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the {@code generate} goal was asked to do, free of Maven types so that the generator can
 * be tested without a Maven session.
 *
 * @param sourceOutput   root of the generated Java sources
 * @param resourceOutput root of the generated weights blobs
 * @param stateDirectory where the incremental build keeps one state file per model
 * @param packageName    package for every model, or null to use each model's folder
 * @param singleFile     embed the weights in the source instead of writing a blob
 * @param optimize       run the compiler's optimization passes (the default)
 * @param limits         the resource ceilings every model is checked against
 * @param vector         also emit the Vector API implementation of each class (docs/vector.md)
 */
public record GeneratorSettings(Path sourceOutput, Path resourceOutput, Path stateDirectory, String packageName,
                                boolean singleFile, boolean optimize, Limits limits, boolean vector) {

    /** Settings for the scalar classes only (no Vector API implementation). */
    public GeneratorSettings(Path sourceOutput, Path resourceOutput, Path stateDirectory, String packageName,
                             boolean singleFile, boolean optimize, Limits limits) {
        this(sourceOutput, resourceOutput, stateDirectory, packageName, singleFile, optimize, limits, false);
    }

    /** Settings with the default ceilings of this JVM. */
    public GeneratorSettings(Path sourceOutput, Path resourceOutput, Path stateDirectory, String packageName,
                             boolean singleFile, boolean optimize) {
        this(sourceOutput, resourceOutput, stateDirectory, packageName, singleFile, optimize, Limits.defaults(), false);
    }

    public GeneratorSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sourceOutput, "sourceOutput");
        Objects.requireNonNull(resourceOutput, "resourceOutput");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        if (packageName != null && packageName.isBlank()) {
            packageName = null;
        }
    }

    /** The package of {@code model}'s class: the explicit package, or the model's folder. */
    public String packageFor(ModelSource model) {
        return packageName != null ? packageName.trim() : model.folderPackage();
    }
}
