package dev.striate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shared options naming the model: the {@code .cnn} file and, when it holds several, which model. */
public final class ModelArgs {
    @Parameters(index = "0", paramLabel = "MODEL.cnn", description = "The model source file.")
    Path source;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The model to use when the file holds several (default: the file's only model).")
    String modelName;

    public Path source() {
        return source;
    }

    public String modelName() {
        return modelName;
    }
}
