package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.TrainerSources;
import dev.striate.backend.GeneratedFile;
import dev.striate.importer.onnx.OnnxImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate compile}: maps its options to a {@link CompileRequest} and runs {@link Compiler#compile}. */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        description = "Compiles a model and its weights into a standalone Java class "
                + "(plus its weights blob unless --single-file) and prints the files it wrote. "
                + "An .onnx, .keras or .h5 file is imported first (as striate import does, into a temporary folder).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate compile examples/mnist/seed_cnn.cnn",
                "  striate compile model.cnn --weights trained.weights.json \\",
                "      --package com.acme.vision --class Digits \\",
                "      --out src/main/java --resources src/main/resources",
                "  striate compile model.cnn --single-file --out generated",
                "  striate compile a.cnn b.cnn c.cnn --ensemble Committee --ensemble-weights 0.5,0.3,0.2",
                "  striate compile m.cnn m.cnn --ensemble Pair --member-weights s1.weights.json,s2.weights.json",
                "  striate compile model.onnx --package com.acme --out src/main/java",
                "  striate compile model.keras --package com.acme --out src/main/java",
                "  striate compile model.cnn --dump-ir --out /tmp/gen",
                "  striate compile seed_cnn.cnn -p com.acme -o src/main/java --trainer    # + SeedCnnTrainer, for Spark"})
public final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Mixin
    ClassOptions classOptions;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
            description = "Root directory for the generated source (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resources", paramLabel = "DIR",
            description = "Root directory for the weights blob (default: the --out directory).")
    Path resources;

    @Parameters(index = "1..*", paramLabel = "MORE.cnn", arity = "0..*", description = EnsembleOptions.MORE_MODELS)
    List<Path> moreModels = new ArrayList<>();

    @Mixin
    EnsembleOptions ensembleOptions;

    @Option(names = "--dump-ir",
            description = "Print the pass log and the IR after each optimization pass.")
    boolean dumpIr;

    @Option(names = "--trainer", paramLabel = "LOSS", arity = "0..1", fallbackValue = "crossentropy",
            description = "Also write the model's generated trainer, <class>Trainer in the same package, for "
                    + "training where no compiler runs (Spark executors, docs/spark.md). LOSS is the loss it will "
                    + "train with: crossentropy (the default: logits out, a final softmax/sigmoid left to the loss) "
                    + "or mse (the model's own outputs).")
    String trainer;

    /** The request these options describe. */
    public CompileRequest request() {
        return classOptions.request(model, weights).sourceOutput(out).resourceOutput(resources).build();
    }

    /** The ensemble these options describe (with {@code --ensemble}). */
    public EnsembleRequest ensembleRequest() {
        return ensembleOptions.request(model.source(), moreModels,
                (source, w) -> classOptions.request(model, source, w),
                b -> b.sourceOutput(out).resourceOutput(resources));
    }

    @Override
    public Integer call() {
        classOptions.checkNames(spec);
        checkEnsembleOptions();
        checkTrainer();
        boolean ensemble = ensembleOptions.enabled();
        weights.refuseForOnnx(spec, model.source());
        CompileResult result = ensemble ? Compiler.compileEnsemble(ensembleRequest()) : OnnxImport.compile(request());
        Reports.warnings(result.warnings(), spec.commandLine().getErr());
        if (dumpIr) {
            spec.commandLine().getOut().print(result.passLog() + "\n" + result.passLog().dumpIr() + "\n");
        }
        Reports.compiled(result, !ensemble ? "model " + result.graph().name() : "ensemble " + ensembleOptions.ensemble
                + " of " + (1 + moreModels.size()) + " models", spec.commandLine().getOut());
        if (trainer != null) {
            writeTrainer(result);
        }
        return ExitCodes.OK;
    }

    /** Refuses a {@code --trainer} that cannot apply, before anything is written. */
    private void checkTrainer() {
        if (trainer == null) {
            return;
        }
        if (!trainer.equals("crossentropy") && !trainer.equals("mse")) {
            throw new ParameterException(spec.commandLine(), "--trainer '" + dev.striate.weights.Show.text(trainer)
                    + "': the loss is crossentropy or mse");
        }
        if (ensembleOptions.enabled() || OnnxImport.isImported(model.source())) {
            throw new ParameterException(spec.commandLine(), "--trainer needs one .cnn model (striate import an "
                    + "ONNX or Keras file first; an ensemble has no trainer)");
        }
    }

    /** Writes {@code <class>Trainer} beside the classifier the compilation wrote. */
    private void writeTrainer(CompileResult result) {
        String source = result.files().stream().filter(f -> f.kind() == GeneratedFile.Kind.SOURCE)
                .map(GeneratedFile::relativePath).findFirst().orElseThrow();
        String qualified = source.substring(0, source.length() - ".java".length()).replace('/', '.');
        int dot = qualified.lastIndexOf('.');
        for (Path p : TrainerSources.write(model.source(), dot < 0 ? "" : qualified.substring(0, dot),
                qualified.substring(dot + 1) + "Trainer", out, trainer.equals("mse"))) {
            spec.commandLine().getOut().println("trainer   " + p);
        }
        spec.commandLine().getOut().flush();
    }

    /** Refuses ensemble options that do not fit ({@link EnsembleOptions#check}) and {@code --dump-ir} with them. */
    private void checkEnsembleOptions() {
        ensembleOptions.check(spec, classOptions, weights, 1 + moreModels.size(), "compiled together");
        if (ensembleOptions.enabled() && dumpIr) {
            throw new ParameterException(spec.commandLine(), "--dump-ir shows one model's passes; it does not apply "
                    + "to --ensemble (dump each model on its own)");
        }
    }
}
