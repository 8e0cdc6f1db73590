package dev.striate.cli;

import dev.striate.diag.Diagnostics;
import dev.striate.weights.WeightSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code striate init}: maps its options to {@link SeededWeights#write} and prints what it wrote. */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        description = "Writes seeded random weights for a model (He uniform before ReLU-family activations, "
                + "Glorot uniform otherwise, zero biases; the model's train block's init = ... replaces the "
                + "kernels' initializer, as in striate train, which draws the same weights for the same seed). "
                + "The same seed gives the same bytes. "
                + "Refuses to overwrite an existing file unless --force is given.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate init examples/mnist/seed_cnn.cnn --out w.weights.json",
                "  striate init examples/resnet/tiny_resnet.cnn --seed 7 \\",
                "      --out /tmp/resnet.weights.json --force"})
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Option(names = {"-s", "--seed"}, paramLabel = "N", defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "W.weights.json",
            description = "Manifest to write; the float32 blob goes beside it "
                    + "(default: MODEL.weights.json beside the model file).")
    Path out;

    @Option(names = {"-f", "--force"}, description = "Overwrite an existing weights file.")
    boolean force;

    /** The manifest to write. */
    public Path manifest() {
        return out != null ? out : WeightsOption.besideModel(model.source());
    }

    @Override
    public Integer call() {
        Path manifest = manifest();
        Diagnostics diagnostics = new Diagnostics();
        WeightSet weights = SeededWeights.write(model.source(), model.modelName(), model.limits(), seed, manifest,
                force, diagnostics);
        Reports.warnings(diagnostics, spec.commandLine().getErr());
        long params = weights.tensors().values().stream().mapToLong(t -> t.size()).sum();
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + manifest + ": " + weights.tensors().size() + " tensors, "
                + Reports.count(params) + " params, seed " + seed);
        o.flush();
        return ExitCodes.OK;
    }
}
