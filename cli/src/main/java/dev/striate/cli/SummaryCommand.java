package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.ir.Graph;
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
                + "per instance its activation buffers, scratch rows and result). Needs no weights. An .onnx, "
                + ".keras or .h5 file is imported first, as compile does (into a temporary folder).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate summary examples/mnist/seed_cnn.cnn",
                "  striate summary zoo.cnn --model TinyResNet",
                "  striate summary model.onnx",
                "  striate summary model.keras"})
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Override
    public Integer call() {
        Diagnostics diagnostics = new Diagnostics();
        CompileRequest request = CompileRequest.builder(model.source()).modelName(model.modelName())
                .limits(model.limits()).build();
        ModelSummary summary = ModelSummary.of(OnnxImport.onModel(request, (r, at) -> {
            Diagnostics found = new Diagnostics();
            Graph graph = Compiler.loadModel(r.source(), r.modelName(), r.limits(), found);
            found.sorted().forEach(d -> diagnostics.add(at.apply(d)));
            return graph;
        }));
        Reports.warnings(diagnostics, spec.commandLine().getErr());
        spec.commandLine().getOut().print(summary.render());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
