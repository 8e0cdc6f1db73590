package dev.striate.cli;

import dev.striate.training.ShippedClass;
import dev.striate.weights.Show;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate show reconstructions}: an autoencoder's test images, its reconstructions of them and
 * their targets, a column per image ({@link Reconstructions}).
 */
@Command(name = "reconstructions",
        mixinStandardHelpOptions = true,
        description = "For a model trained with target = image (an autoencoder, or with noise a denoising one), "
                + "draws a column per test image (the first --count, or a seeded sample) and three rows: the "
                + "input as striate evaluate gives it to the model (with a noise setting, the noisy input "
                + "evaluate draws from the train block's seed), the model's output computed by the class striate "
                + "compile ships, and the target (the clean image times the target scale). All in the targets' "
                + "units, from the target of pixel 0 (black) to that of pixel 255 (white), [0, 1] for "
                + "target = image(scale=1/255); values outside are clipped.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate show reconstructions examples/autoencoder/mnist_autoencoder.cnn \\",
                "      --weights ae.weights.json --data mnist -o recon.png",
                "  striate show reconstructions examples/autoencoder/mnist_denoising.cnn \\",
                "      --weights dae.weights.json --data mnist --count 12 --seed 1 -o dae.png"})
public final class ShowReconstructionsCommand implements Callable<Integer> {
    /** The most images one picture shows. */
    static final int MAX_COUNT = 64;

    @Spec
    CommandSpec spec;

    @Mixin
    ShowArgs args;

    @Option(names = {"-d", "--data"}, paramLabel = "mnist|fashion-mnist|DIR", required = true,
            description = "The test images: 'mnist', 'fashion-mnist' (fetched by striate data) or a folder of IDX "
                    + "files (its t10k files), as striate evaluate reads them.")
    String data;

    @Option(names = "--count", paramLabel = "N", defaultValue = "8",
            description = "How many test images (1 to 64, default: ${DEFAULT-VALUE}; fewer if the test set is "
                    + "smaller).")
    int count;

    @Option(names = "--seed", paramLabel = "S",
            description = "Show a sample of the test images drawn with seed S (in test-set order) instead of the "
                    + "first ones. The noise is evaluate's either way.")
    Long seed;

    @Override
    public Integer call() {
        Path file = args.output();
        ShowModel.check(count >= 1 && count <= MAX_COUNT, "--count", "--count must be 1 to " + MAX_COUNT + ", got "
                + count);
        TestSet set = args.testSet(spec, data, recipe -> Reconstructions.check(recipe, args.source(), count));
        ShowModel.checkDataShape(set.images(), ShowModel.imageInput(set.bound, args.source()), data);
        ShowModel.check(set.images().size() > 0, "--data", "the test set of " + Show.text(data, 80)
                + " holds no image");
        int[] indices = Reconstructions.choose(set.images().size(), count, seed);
        Reconstructions shown = Reconstructions.compute(set, ShippedClass.compile(set.bound), indices);
        ShowModel.write(shown.picture(set), file, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
