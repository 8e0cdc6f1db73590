package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code striate check}: loads a model, binds its weights, and prints {@code ok} or every diagnostic. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = "Validates a model and its weights: syntax, names, shapes, and that every tensor is "
                + "present with the right shape and finite values. Prints 'ok: N tensors, M params' or "
                + "every problem found.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate check examples/mnist/seed_cnn.cnn",
                "  striate check model.cnn --weights trained.weights.json"})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Override
    public Integer call() {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(model.source(), model.modelName(), diagnostics);
        Graph bound = Compiler.bindWeights(graph, weights.resolve(model.source()), diagnostics);
        Reports.warnings(diagnostics, spec.commandLine().getErr());
        long params = bound.weights().values().stream().mapToLong(t -> t.size()).sum();
        spec.commandLine().getOut().println("ok: " + bound.weights().size() + " tensors, "
                + Reports.count(params) + " params");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
