package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.EnsembleRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --more-models}: the other ensemble members of the commands whose positional arguments after the first
 * model are not models ({@code predict}: images) or that take one model ({@code evaluate}).
 */
final class MoreModels {
    @Option(names = "--more-models", paramLabel = "MORE.cnn", split = ",",
            description = "With --ensemble: the other members' model files, after MODEL.cnn, in order (a file may be "
                    + "given more than once, with other --member-weights).")
    List<Path> paths = new ArrayList<>();

    /** How many models there are in all: MODEL.cnn and the others. */
    int count() {
        return 1 + paths.size();
    }

    /** The ensemble of {@code model} then the others, each with its {@code --member-weights} and the limits. */
    EnsembleRequest request(EnsembleOptions options, ModelArgs model) {
        return options.request(model.source(), paths, (source, w) -> CompileRequest.builder(source)
                .modelName(model.modelName()).weights(w).limits(model.limits()), b -> b);
    }
}
