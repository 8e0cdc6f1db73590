package dev.striate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one compilation needs, shared by the CLI and the Maven plugin. Build it with
 * {@link #builder(Path)}; unset fields take the documented defaults.
 *
 * @param source         the {@code .cnn} file
 * @param modelName      the model to compile, or null for the file's only model
 * @param weights        the weights manifest, or null for {@code <stem>.weights.json} beside the source
 * @param packageName    package of the generated class ({@code ""} for the default package)
 * @param className      simple name of the generated class, or null for the model's name
 * @param singleFile     weights embedded in the source instead of a resource blob
 * @param sourceOutput   root directory for generated sources
 * @param resourceOutput root directory for the weights blob (defaults to {@code sourceOutput})
 * @param optimize       run the optimization passes (default); false emits the graph as written
 * @param limits         the resource ceilings (default: {@link Limits#defaults()})
 * @param optionNames    how messages name the settings a user may change (default: the
 *                       command-line flags, {@link OptionNames#FLAGS})
 * @param vector         also emit the Vector API implementation ({@code GenerateOptions.Variant#VECTOR})
 * @param imageCompanion also emit {@code <Class>Images}, which turns images into the class's pixel
 *                       input ({@link dev.striate.backend.ImageCompanion})
 */
public record CompileRequest(Path source, String modelName, Path weights, String packageName, String className,
                             boolean singleFile, Path sourceOutput, Path resourceOutput, boolean optimize,
                             Limits limits, OptionNames optionNames, boolean vector, boolean imageCompanion) {

    public CompileRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(optionNames, "optionNames");
    }

    /** The weights manifest to read: explicit, or {@code <stem>.weights.json} beside the source. */
    public Path weightsPath() {
        if (weights != null) {
            return weights;
        }
        return source.resolveSibling(stem(source) + ".weights.json");
    }

    /** {@code model} for {@code model.cnn}. */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    public static Builder builder(Path source) {
        return new Builder(source);
    }

    /**
     * Builder with defaults: package {@code ""}, resource blob mode, output {@code .}, optimized, default limits,
     * messages naming the command-line flags.
     */
    public static final class Builder {
        private final Path source;
        private String modelName;
        private Path weights;
        private String packageName = "";
        private String className;
        private boolean singleFile;
        private Path sourceOutput = Path.of(".");
        private Path resourceOutput;
        private boolean optimize = true;
        private Limits limits;
        private OptionNames optionNames = OptionNames.FLAGS;
        private boolean vector;
        private boolean imageCompanion;

        private Builder(Path source) {
            this.source = source;
        }

        public Builder modelName(String v) {
            modelName = v;
            return this;
        }

        public Builder weights(Path v) {
            weights = v;
            return this;
        }

        public Builder packageName(String v) {
            packageName = v == null ? "" : v;
            return this;
        }

        public Builder className(String v) {
            className = v;
            return this;
        }

        public Builder singleFile(boolean v) {
            singleFile = v;
            return this;
        }

        public Builder sourceOutput(Path v) {
            sourceOutput = v;
            return this;
        }

        public Builder resourceOutput(Path v) {
            resourceOutput = v;
            return this;
        }

        public Builder optimize(boolean v) {
            optimize = v;
            return this;
        }

        /** The resource ceilings; null (the default) takes {@link Limits#defaults()}. */
        public Builder limits(Limits v) {
            limits = v;
            return this;
        }

        /** How messages name the settings a user may change (default {@link OptionNames#FLAGS}). */
        public Builder optionNames(OptionNames v) {
            optionNames = v == null ? OptionNames.FLAGS : v;
            return this;
        }

        /** True for the Vector API variant of the generated class (default false: scalar only). */
        public Builder vector(boolean v) {
            vector = v;
            return this;
        }

        /** True to also emit the image companion class {@code <Class>Images} (default false). */
        public Builder imageCompanion(boolean v) {
            imageCompanion = v;
            return this;
        }

        public CompileRequest build() {
            return new CompileRequest(source, modelName, weights, packageName, className, singleFile,
                    sourceOutput, resourceOutput == null ? sourceOutput : resourceOutput, optimize,
                    limits == null ? Limits.defaults() : limits, optionNames, vector, imageCompanion);
        }
    }
}
