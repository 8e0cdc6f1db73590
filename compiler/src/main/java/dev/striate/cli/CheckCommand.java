package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.ir.Graph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate check}: runs everything {@code compile} runs with the same options, except
 * writing files, and prints {@code ok} or every diagnostic. So "check says ok" means "compile
 * with these options succeeds".
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = "Validates a model and its weights as 'compile' with the same options would, without "
                + "writing anything: syntax, names, shapes, resource limits, that every tensor is present "
                + "with the right shape and finite values, and that the class can be generated. Prints "
                + "'ok: N tensors, M params' or every problem found.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate check examples/mnist/seed_cnn.cnn",
                "  striate check model.cnn --weights trained.weights.json",
                "  striate check model.cnn --single-file --class Digits"})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Option(names = {"-p", "--package"}, paramLabel = "P", defaultValue = "",
            description = "Check as 'compile --package P' would (default: the unnamed package).")
    String packageName;

    @Option(names = {"-c", "--class"}, paramLabel = "C",
            description = "Check as 'compile --class C' would (default: the model's name).")
    String className;

    @Option(names = "--single-file",
            description = "Check as 'compile --single-file' would: the weights must fit in the Java source.")
    boolean singleFile;

    @Option(names = "--no-optimize",
            description = "Check as 'compile --no-optimize' would: the graph as written.")
    boolean noOptimize;

    /** The compile request these options describe (written nowhere). */
    public CompileRequest request() {
        return CompileRequest.builder(model.source())
                .modelName(model.modelName())
                .weights(weights.weights())
                .packageName(packageName)
                .className(className)
                .singleFile(singleFile)
                .optimize(!noOptimize)
                .limits(model.limits())
                .build();
    }

    @Override
    public Integer call() {
        CompileCommand.checkNames(spec, packageName, className);
        Compiler.Checked checked = Compiler.check(request());
        Reports.warnings(checked.warnings(), spec.commandLine().getErr());
        Graph bound = checked.bound();
        long params = bound.weights().values().stream().mapToLong(t -> t.size()).sum();
        spec.commandLine().getOut().println("ok: " + bound.weights().size() + " tensors, "
                + Reports.count(params) + " params");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
