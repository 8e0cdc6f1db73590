package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code striate summary}: loads a model (no weights needed) and prints its {@link ModelSummary}. */
@Command(name = "summary",
        mixinStandardHelpOptions = true,
        description = "Prints a Keras-style table of a model's layers: name, type, output shape and "
                + "parameter count, with the totals, and what the generated class allocates (its weights, and "
                + "per instance its activation buffers, scratch rows and result). Needs no weights.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate summary examples/mnist/seed_cnn.cnn",
                "  striate summary zoo.cnn --model TinyResNet"})
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Override
    public Integer call() {
        Diagnostics diagnostics = new Diagnostics();
        ModelSummary summary = ModelSummary.of(Compiler.loadModel(model.source(), model.modelName(), model.limits(),
                diagnostics));
        Reports.warnings(diagnostics, spec.commandLine().getErr());
        spec.commandLine().getOut().print(summary.render());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
