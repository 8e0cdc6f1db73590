package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.ir.Graph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
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
                + "'ok: N tensors, M params' or every problem found. An .onnx, .keras or .h5 file is imported first, as "
                + "compile does (into a temporary folder). With --ensemble, checks the models as "
                + "'compile --ensemble' would (each model, and that they agree: E512, E513) and prints "
                + "'ok: ensemble NAME of K models'.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate check examples/mnist/seed_cnn.cnn",
                "  striate check model.cnn --weights trained.weights.json",
                "  striate check model.cnn --single-file --class Digits",
                "  striate check model.onnx",
                "  striate check model.h5",
                "  striate check a.cnn b.cnn c.cnn --ensemble Committee --ensemble-weights 0.5,0.3,0.2"})
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

    @Parameters(index = "1..*", paramLabel = "MORE.cnn", arity = "0..*", description = EnsembleOptions.MORE_MODELS)
    List<Path> moreModels = new ArrayList<>();

    /** The {@code --ensemble} options of {@code compile}: check an ensemble as compile would. */
    @Mixin
    EnsembleOptions ensembleOptions;

    /** The compile request these options describe (written nowhere). */
    public CompileRequest request() {
        return classOptions.request(model, weights).build();
    }

    /** The ensemble these options describe (with {@code --ensemble}; written nowhere). */
    public EnsembleRequest ensembleRequest() {
        return ensembleOptions.request(model.source(), moreModels,
                (source, w) -> classOptions.request(model, source, w),
                b -> b);
    }

    @Override
    public Integer call() {
        classOptions.checkNames(spec);
        ensembleOptions.check(spec, classOptions, weights, 1 + moreModels.size(), "checked together");
        if (ensembleOptions.enabled()) {
            Compiler.Checked checked = Compiler.checkEnsemble(ensembleRequest());
            Reports.warnings(checked.warnings(), spec.commandLine().getErr());
            spec.commandLine().getOut().println("ok: ensemble " + ensembleOptions.ensemble + " of "
                    + (1 + moreModels.size()) + " models");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        weights.refuseForOnnx(spec, model.source());
        Compiler.Checked checked = OnnxImport.check(request());
        Reports.warnings(checked.warnings(), spec.commandLine().getErr());
        Graph bound = checked.bound();
        long params = bound.weights().values().stream().mapToLong(t -> t.size()).sum();
        spec.commandLine().getOut().println("ok: " + bound.weights().size() + " tensors, "
                + Reports.count(params) + " params");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
