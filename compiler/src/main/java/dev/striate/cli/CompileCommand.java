package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code striate compile}: maps its options to a {@link CompileRequest} and runs {@link Compiler#compile}. */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        description = "Compiles a model and its weights into a standalone Java class "
                + "(plus its weights blob unless --single-file) and prints the files it wrote.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate compile examples/mnist/seed_cnn.cnn",
                "  striate compile model.cnn --weights trained.weights.json \\",
                "      --package com.acme.vision --class Digits \\",
                "      --out src/main/java --resources src/main/resources",
                "  striate compile model.cnn --single-file --out generated",
                "  striate compile model.cnn --dump-ir --out /tmp/gen"})
public final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Option(names = {"-p", "--package"}, paramLabel = "P", defaultValue = "",
            description = "Package of the generated class (default: the unnamed package).")
    String packageName;

    @Option(names = {"-c", "--class"}, paramLabel = "C",
            description = "Simple name of the generated class (default: the model's name).")
    String className;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
            description = "Root directory for the generated source (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resources", paramLabel = "DIR",
            description = "Root directory for the weights blob (default: the --out directory).")
    Path resources;

    @Option(names = "--single-file",
            description = "Embed the weights in the Java source instead of writing a resource blob.")
    boolean singleFile;

    @Option(names = "--no-optimize",
            description = "Skip the optimization passes (batch-norm folding, fusion, ...) and emit the graph "
                    + "as written.")
    boolean noOptimize;

    @Option(names = "--dump-ir",
            description = "Print the pass log and the IR after each optimization pass.")
    boolean dumpIr;

    /** The request these options describe. */
    public CompileRequest request() {
        return CompileRequest.builder(model.source())
                .modelName(model.modelName())
                .weights(weights.weights())
                .packageName(packageName)
                .className(className)
                .singleFile(singleFile)
                .sourceOutput(out)
                .resourceOutput(resources)
                .optimize(!noOptimize)
                .limits(model.limits())
                .build();
    }

    @Override
    public Integer call() {
        checkNames(spec, packageName, className);
        CompileResult result = Compiler.compile(request());
        Reports.warnings(result.warnings(), spec.commandLine().getErr());
        if (dumpIr) {
            spec.commandLine().getOut().print(result.passLog() + "\n" + result.passLog().dumpIr() + "\n");
        }
        Reports.compiled(result, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** Refuses a {@code --class} or {@code --package} that cannot name generated code, as an option error. */
    static void checkNames(CommandSpec spec, String packageName, String className) {
        String classProblem = className == null ? null : NameRules.classNameProblem(className);
        if (classProblem != null) {
            throw new ParameterException(spec.commandLine(), "--class '" + Show.text(className) + "' " + classProblem);
        }
        String packageProblem = NameRules.packageNameProblem(packageName);
        if (packageProblem != null) {
            throw new ParameterException(spec.commandLine(), "--package '" + Show.text(packageName) + "' "
                    + packageProblem);
        }
    }
}
