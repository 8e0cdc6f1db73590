package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
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
                + "An .onnx file is imported first (as striate import does, into a temporary folder).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate compile examples/mnist/seed_cnn.cnn",
                "  striate compile model.cnn --weights trained.weights.json \\",
                "      --package com.acme.vision --class Digits \\",
                "      --out src/main/java --resources src/main/resources",
                "  striate compile model.cnn --single-file --out generated",
                "  striate compile a.cnn b.cnn c.cnn --ensemble Committee --ensemble-weights 0.5,0.3,0.2",
                "  striate compile m.cnn m.cnn --ensemble Pair --member-weights s1.weights.json,s2.weights.json",
                "  striate compile model.onnx --package com.acme --out src/main/java",
                "  striate compile model.cnn --dump-ir --out /tmp/gen"})
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

    @Parameters(index = "1..*", paramLabel = "MORE.cnn", arity = "0..*",
            description = "With --ensemble: the other members' model files (a file may be given more than once, "
                    + "with other weights).")
    List<Path> moreModels = new ArrayList<>();

    @Option(names = "--ensemble", paramLabel = "NAME",
            description = "Compile the models into one class NAME averaging their outputs (the probabilities of "
                    + "models ending in softmax), same API as one model; each model becomes the class "
                    + "NAMEMember1, NAMEMember2, ... beside it (docs/serving.md).")
    String ensemble;

    @Option(names = "--ensemble-weights", paramLabel = "W", split = ",",
            description = "With --ensemble: each model's weight in the average, in order (normalized to sum to 1; "
                    + "default: equal).")
    List<Double> ensembleWeights = new ArrayList<>();

    @Option(names = "--member-weights", paramLabel = "W.weights.json", split = ",",
            description = "With --ensemble: each model's weights manifest, in order (default: MODEL.weights.json "
                    + "beside each model file).")
    List<Path> memberWeights = new ArrayList<>();

    @Option(names = "--dump-ir",
            description = "Print the pass log and the IR after each optimization pass.")
    boolean dumpIr;

    /** The request these options describe. */
    public CompileRequest request() {
        return classOptions.request(model, weights).sourceOutput(out).resourceOutput(resources).build();
    }

    /** The ensemble these options describe (with {@code --ensemble}). */
    public EnsembleRequest ensembleRequest() {
        List<Path> sources = new ArrayList<>();
        sources.add(model.source());
        sources.addAll(moreModels);
        List<CompileRequest> members = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            members.add(classOptions.request(model, sources.get(i), memberWeights.isEmpty() ? null : memberWeights.get(i))
                    .sourceOutput(out).resourceOutput(resources).build());
        }
        return new EnsembleRequest(ensemble, members, ensembleWeights);
    }

    @Override
    public Integer call() {
        classOptions.checkNames(spec);
        checkEnsembleOptions();
        weights.refuseForOnnx(spec, model.source());
        CompileResult result = ensemble != null ? Compiler.compileEnsemble(ensembleRequest()) : OnnxImport.compile(request());
        Reports.warnings(result.warnings(), spec.commandLine().getErr());
        if (dumpIr) {
            spec.commandLine().getOut().print(result.passLog() + "\n" + result.passLog().dumpIr() + "\n");
        }
        Reports.compiled(result, ensemble == null ? "model " + result.graph().name()
                : "ensemble " + ensemble + " of " + (1 + moreModels.size()) + " models", spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Refuses ensemble options without {@code --ensemble}, several models without it, and options it replaces. */
    private void checkEnsembleOptions() {
        if (ensemble == null) {
            if (!moreModels.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "several model files are compiled together only "
                        + "with --ensemble NAME (one class averaging them); compile one model per call otherwise");
            }
            if (!ensembleWeights.isEmpty() || !memberWeights.isEmpty()) {
                throw new ParameterException(spec.commandLine(), (ensembleWeights.isEmpty() ? "--member-weights"
                        : "--ensemble-weights") + " needs --ensemble NAME");
            }
            return;
        }
        String problem = NameRules.classNameProblem(ensemble);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--ensemble '" + Show.text(ensemble) + "' " + problem);
        }
        if (classOptions.className != null) {
            throw new ParameterException(spec.commandLine(), "--class does not apply to --ensemble: the ensemble's "
                    + "class is --ensemble's NAME, its members' classes NAMEMember1, NAMEMember2, ...");
        }
        if (weights.weights() != null) {
            throw new ParameterException(spec.commandLine(), "--weights names one model's weights; with --ensemble "
                    + "give each model's with --member-weights W1.weights.json,W2.weights.json,...");
        }
        int models = 1 + moreModels.size();
        if (!memberWeights.isEmpty() && memberWeights.size() != models) {
            throw new ParameterException(spec.commandLine(), "--member-weights names " + memberWeights.size()
                    + " weights files for " + models + " models; give one per model, in order");
        }
        if (dumpIr) {
            throw new ParameterException(spec.commandLine(), "--dump-ir shows one model's passes; it does not apply "
                    + "to --ensemble (dump each model on its own)");
        }
    }
}
