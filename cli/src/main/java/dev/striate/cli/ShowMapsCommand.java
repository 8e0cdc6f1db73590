package dev.striate.cli;

import dev.striate.backend.train.LayerProbe;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Shape;
import dev.striate.train.ReluBackward;
import dev.striate.viz.Pictures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate show maps}: an image and the feature maps of chosen layers for it ({@link Pictures#maps}). */
@Command(name = "maps",
        mixinStandardHelpOptions = true,
        description = "Draws an image (read as predict reads it: converted and resized to the model's input) and, a "
                + "row per layer labelled with its name and shape, each channel of the layers' outputs for it, on one "
                + "colour scale per layer, symmetric around zero. The outputs are computed by the generated code of "
                + "the model truncated at each layer (batch norm on running statistics, no dropout).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate show maps examples/sobel/sobel.cnn edge.png -o sobel-maps.png",
                "  striate show maps examples/mnist/seed_cnn.cnn digit.png --layers conv2d_1,conv2d_2 -o maps.png"})
public final class ShowMapsCommand implements Callable<Integer> {
    /** The most layers one picture shows. */
    static final int MAX_LAYERS = 32;

    @Spec
    CommandSpec spec;

    @Mixin
    ShowArgs args;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "A PNG or JPEG image.")
    Path image;

    @Option(names = "--layers", paramLabel = "NAME", split = ",",
            description = "The layers to show, in order (default: every layer with a [C, H, W] output but rescale "
                    + "and normalize).")
    List<String> layers;

    @Override
    public Integer call() {
        Path file = args.output();
        ShowModel m = args.load(spec);
        Shape in = m.input();
        List<String> names = new ArrayList<>();
        for (String l : layers == null ? m.mapLayers() : layers) {
            names.add(layers == null ? l : m.layer(l, "--layers"));
        }
        ShowModel.check(names.size() <= MAX_LAYERS, "--layers", "at most " + MAX_LAYERS + " layers in one picture, got "
                + names.size() + ": choose some with --layers");
        float[] pixels = m.readImage(image);
        float[] x = m.normalized(pixels);
        List<Pictures.Layer> shown = new ArrayList<>();
        for (String name : names) {
            Shape shape = m.graph().node(name).shape();
            if (shape.rank() != 1 && shape.rank() != 3) {
                throw ShowModel.error(ErrorCode.SHOW_NOT_IMAGE, "--layers", "layer '" + name + "' outputs " + shape
                        + ": maps shows [C, H, W] and [N] outputs");
            }
            LayerProbe probe = m.probe(name, false, ReluBackward.GRADIENT);
            shown.add(new Pictures.Layer(name, probe.shape().dims(), probe.activations(x)));
        }
        ShowModel.write(Pictures.maps(pixels, in.dims(), 0f, 255f, shown), file, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
