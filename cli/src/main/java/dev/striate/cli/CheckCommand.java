package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.ir.Graph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
                + "'ok: N tensors, M params' or every problem found. An .onnx file is imported first, as "
                + "compile does (into a temporary folder).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate check examples/mnist/seed_cnn.cnn",
                "  striate check model.cnn --weights trained.weights.json",
                "  striate check model.cnn --single-file --class Digits",
                "  striate check model.onnx"})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    /** The options of {@code compile} that shape the class: check as compile would. */
    @Mixin
    ClassOptions classOptions;

    /** The compile request these options describe (written nowhere). */
    public CompileRequest request() {
        return classOptions.request(model, weights).build();
    }

    @Override
    public Integer call() {
        classOptions.checkNames(spec);
        weights.refuseForOnnx(spec, model.source());
        Compiler.Checked checked = OnnxImport.onModel(request(), Compiler::check);
        Reports.warnings(checked.warnings(), spec.commandLine().getErr());
        Graph bound = checked.bound();
        long params = bound.weights().values().stream().mapToLong(t -> t.size()).sum();
        spec.commandLine().getOut().println("ok: " + bound.weights().size() + " tensors, "
                + Reports.count(params) + " params");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
