package dev.striate.cli;

import dev.striate.training.ModelRecipe;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What every {@code striate show} command takes: the model (with {@code --model} and the resource
 * ceilings), {@code --weights}, and {@code -o FILE.png}.
 */
public final class ShowArgs {
    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.png", required = true,
            description = "The PNG file to write (replaced atomically; nothing is written on failure).")
    Path file;

    /** The checked output path (E705 unless a .png file name, not a folder, in a folder that exists). */
    Path output() {
        return ShowModel.output(file);
    }

    /** The model with its weights bound (warnings to the command's error stream). */
    ShowModel load(CommandSpec spec) {
        return ShowModel.load(model, weights, spec.commandLine().getErr());
    }

    /**
     * The model with its weights and the test set of {@code data}, loaded as {@code striate evaluate} loads
     * them ({@link TestSet}), the model first passed to {@code refuse} (warnings to the command's error stream).
     */
    TestSet testSet(CommandSpec spec, String data, Consumer<ModelRecipe> refuse) {
        return TestSet.load(model, weights.resolve(model.source()), data, spec.commandLine().getErr(), refuse);
    }

    Path source() {
        return model.source();
    }
}
