package dev.striate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code striate show}: the parent of the picture commands; without a subcommand it prints its usage. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = "Draws pictures of a model or a training run as PNG files.",
        subcommands = {ShowHistoryCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  striate show history train.csv -o curves.png"})
public final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing picture: choose one of "
                + String.join(", ", spec.subcommands().keySet()) + ".");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USER_ERROR;
    }
}
