package dev.striate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code striate show}: pictures of what a model computes, written as PNG. Each picture is a
 * subcommand class of its own; this parent only lists them (add a class to {@code subcommands}).
 */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = "Draws pictures of a model or a training run as PNG files: its convolution filters, the feature maps of an image, "
                + "a saliency map, the inputs that activate a feature map most, an autoencoder's reconstructions of test images, "
                + "or a training run's loss and accuracy curves. Signed values use a colour scale "
                + "symmetric around zero (black 0, orange positive, blue negative) with a legend; rows are labelled "
                + "with the layer's name and shape. See docs/visualize.md.",
        subcommands = {ShowFiltersCommand.class, ShowMapsCommand.class, ShowSaliencyCommand.class,
                ShowActivationsCommand.class, ShowReconstructionsCommand.class, ShowHistoryCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  striate show filters examples/sobel/sobel.cnn -o filters.png",
                "  striate show maps examples/mnist/seed_cnn.cnn digit.png -o maps.png",
                "  striate show saliency examples/mnist/seed_cnn.cnn digit.png -o saliency.png",
                "  striate show activations examples/mnist/seed_cnn.cnn --data mnist \\",
                "      --layer conv2d_2 -o top.png",
                "  striate show reconstructions examples/autoencoder/mnist_autoencoder.cnn \\",
                "      --weights ae.weights.json --data mnist -o recon.png",
                "  striate show history train.csv -o curves.png"})
public final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: the usage, as a usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("Missing picture: choose one of " + String.join(", ", spec.subcommands().keySet()) + ".");
        spec.commandLine().usage(err);
        return ExitCodes.USER_ERROR;
    }
}
