package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that shape the generated class, shared by {@code compile} and {@code check} so that
 * "check says ok" means "compile succeeds" with the same options.
 */
final class ClassOptions {
    @Option(names = {"-p", "--package"}, paramLabel = "P", defaultValue = "",
            description = "Package of the generated class (default: the unnamed package).")
    String packageName;

    @Option(names = {"-c", "--class"}, paramLabel = "C",
            description = "Simple name of the generated class (default: the model's name).")
    String className;

    @Option(names = "--single-file",
            description = "Embed the weights in the Java source instead of writing a resource blob.")
    boolean singleFile;

    @Option(names = "--vector",
            description = "Also emit a Vector API implementation (jdk.incubator.vector), used when that module is "
                    + "present at run time (on x86 only with AVX2 or later; -Dstriate.kernel=scalar|vector decides "
                    + "otherwise); compile and run with --add-modules jdk.incubator.vector (docs/vector.md).")
    boolean vector;

    @Option(names = "--image-companion",
            description = "Also emit CLASSImages (needs java.desktop): fromImage(BufferedImage) and "
                    + "fromPng(InputStream) give the pixels the class was trained on, read as in training.")
    boolean imageCompanion;

    @Option(names = "--no-optimize",
            description = "Skip the optimization passes (batch-norm folding, fusion, ...) and emit the graph "
                    + "as written.")
    boolean noOptimize;

    /**
     * A request for {@code model} with {@code weights} and these options: everything {@code compile}
     * and {@code check} share, so the two cannot drift apart.
     */
    CompileRequest.Builder request(ModelArgs model, WeightsOption weights) {
        return request(model, model.source(), weights.weights());
    }

    /** {@link #request(ModelArgs, WeightsOption)} for another model file of {@code model}'s options (an ensemble member). */
    CompileRequest.Builder request(ModelArgs model, Path source, Path weights) {
        return CompileRequest.builder(source)
                .modelName(model.modelName())
                .weights(weights)
                .limits(model.limits())
                .packageName(packageName).className(className).singleFile(singleFile).optimize(!noOptimize)
                .vector(vector).imageCompanion(imageCompanion);
    }

    /** Refuses a {@code --class} or {@code --package} that cannot name generated code, as an option error. */
    void checkNames(CommandSpec spec) {
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
