package dev.striate.cli;

import dev.striate.backend.train.LayerProbe;
import dev.striate.data.Dataset;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.train.ReluBackward;
import dev.striate.training.DataSource;
import dev.striate.viz.Pictures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate show activations}: Zeiler and Fergus's figure. For each chosen feature map of a
 * layer, the images of a data set whose strongest activation in that map is largest (each image
 * counted once, at its strongest position), cropped to the unit's receptive field
 * ({@link ReceptiveField}), and that single activation projected back to pixel space through the
 * generated backward pass with the chosen ReLU rule ({@link TopActivations}).
 */
@Command(name = "activations",
        mixinStandardHelpOptions = true,
        description = "For each chosen feature map of a layer, finds the images of the data (the first --limit of the "
                + "test set, or of a flat image folder) that activate it most, and draws the receptive-field crop of "
                + "each (first line) and the projection of that one activation back to the pixels (second line): the "
                + "gradient, or the deconvnet or guided-backpropagation rule at every ReLU (--rule).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate show activations examples/mnist/seed_cnn.cnn --data mnist \\",
                "      --layer conv2d_2 -o top.png",
                "  striate show activations examples/mnist/seed_cnn.cnn --data mnist \\",
                "      --layer conv2d_3 --maps 0,5 --top 4 --rule guided -o top.png"})
public final class ShowActivationsCommand implements Callable<Integer> {
    /** The most images scanned (MNIST's training set). */
    static final int MAX_LIMIT = 60_000;
    static final int MAX_TOP = 64;
    static final int MAX_MAPS = 64;

    @Spec
    CommandSpec spec;

    @Mixin
    ShowArgs args;

    @Option(names = {"-d", "--data"}, paramLabel = "mnist|fashion-mnist|DIR", required = true,
            description = "The images: 'mnist', 'fashion-mnist' (fetched by striate data) or a folder (IDX files or "
                    + "an image folder).")
    String data;

    @Option(names = "--layer", paramLabel = "NAME", required = true, description = "A layer with a [C, H, W] output.")
    String layer;

    @Option(names = "--maps", paramLabel = "K", split = ",",
            description = "The feature maps (channels) to show (default: the first 8).")
    List<Integer> maps;

    @Option(names = "--top", paramLabel = "N", defaultValue = "9",
            description = "Images per feature map (1 to 64, default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "How many images to scan (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--rule", paramLabel = "RULE", defaultValue = "gradient",
            description = "How the projection goes back through a ReLU: gradient, deconvnet or guided "
                    + "(default: ${DEFAULT-VALUE}).")
    ReluBackward rule;

    @Override
    public Integer call() {
        Path file = args.output();
        ShowModel.check(top >= 1 && top <= MAX_TOP, "--top", "--top must be 1 to " + MAX_TOP + ", got " + top);
        ShowModel.check(limit >= 1 && limit <= MAX_LIMIT, "--limit", "--limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        ShowModel m = args.load(spec);
        Shape in = m.input();
        String name = m.layer(layer, "--layer");
        Graph g = m.graph();
        Shape shape = g.node(name).shape();
        if (shape.rank() != 3) {
            throw ShowModel.error(ErrorCode.SHOW_NOT_IMAGE, "--layer", "layer '" + name + "' outputs " + shape
                    + ", not a [C, H, W] feature map");
        }
        List<Integer> chosen = maps != null ? maps : defaultMaps(shape.channels());
        ShowModel.check(chosen.size() <= MAX_MAPS, "--maps", "at most " + MAX_MAPS + " feature maps, got " + chosen.size());
        for (int k : chosen) {
            ShowModel.check(k >= 0 && k < shape.channels(), "--maps", "--maps must be 0 to " + (shape.channels() - 1)
                    + " (the layer's channels), got " + k);
        }
        Dataset set = DataSource.load(data, m.recipe().inputShape(), m.recipe().classes(), g.labels(),
                DataSource.Use.IMAGES).evaluationSet();
        ShowModel.checkDataShape(set, in, data);
        LayerProbe probe = m.probe(name, false, rule);
        List<List<Pictures.Hit>> hits = new TopActivations(probe, ReceptiveField.of(g, name), in, m::normalized)
                .find(set, Math.min(limit, set.size()), chosen, top);
        if (hits.stream().allMatch(List::isEmpty)) {
            throw ShowModel.error(ErrorCode.SHOW_NO_ACTIVATION, "--layer", "no image of the " + Math.min(limit, set.size())
                    + " scanned gives a positive activation in the chosen feature maps of '" + name + "'");
        }
        ShowModel.write(Pictures.activations(name, shape.dims(), in.channels(), chosen, hits, 0f, 255f,
                rule.name().toLowerCase(Locale.ROOT)), file, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private static List<Integer> defaultMaps(int channels) {
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < Math.min(8, channels); k++) {
            all.add(k);
        }
        return all;
    }
}
