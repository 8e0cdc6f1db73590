package dev.striate.cli;

import dev.striate.diag.ErrorCode;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Node;
import dev.striate.viz.Pictures;
import dev.striate.weights.Tensor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code striate show filters}: a convolution's kernels as a grid of tiles ({@link Pictures#filters}). */
@Command(name = "filters",
        mixinStandardHelpOptions = true,
        description = "Draws a conv2d layer's kernels: with one input channel a tile per filter, with three (RGB) a "
                + "colour tile per filter (each channel mid gray at 0, with that gray ramp as legend), otherwise a "
                + "line of tiles per filter, one per input channel (or only --filter N's line). One scale for the "
                + "layer, symmetric around zero, with its legend.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate show filters examples/sobel/sobel.cnn -o sobel-filters.png",
                "  striate show filters examples/mnist/seed_cnn.cnn --layer conv2d_2 --filter 0 -o f.png"})
public final class ShowFiltersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ShowArgs args;

    @Option(names = "--layer", paramLabel = "NAME", description = "The conv2d layer (default: the first one).")
    String layer;

    @Option(names = "--filter", paramLabel = "N", description = "Only output channel N's kernels (0-based).")
    Integer filter;

    @Override
    public Integer call() {
        Path file = args.output();
        ShowModel m = args.load(spec);
        String name = layer != null ? m.layer(layer, "--layer") : m.graph().nodes().stream()
                .filter(n -> n.op() instanceof Conv2d).map(Node::name).findFirst()
                .orElseThrow(() -> ShowModel.error(ErrorCode.SHOW_NOT_CONVOLUTION, args.source().toString(),
                        "the model has no conv2d layer"));
        Node node = m.graph().node(name);
        if (!(node.op() instanceof Conv2d)) {
            throw ShowModel.error(ErrorCode.SHOW_NOT_CONVOLUTION, "--layer", "layer '" + name + "' is a "
                    + node.op().kind() + ", not a conv2d");
        }
        Tensor w = m.graph().weight(node, "weight");
        int[] s = w.shape();
        ShowModel.check(filter == null || filter >= 0 && filter < s[0], "--filter",
                "--filter must be 0 to " + (s[0] - 1) + " (the layer has " + s[0] + " filters), got " + filter);
        ShowModel.write(Pictures.filters(name, w.data(), s[0], s[1], s[2], s[3], filter == null ? -1 : filter), file,
                spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
