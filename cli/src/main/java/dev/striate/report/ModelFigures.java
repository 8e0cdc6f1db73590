package dev.striate.report;

import dev.striate.backend.train.LayerProbe;
import dev.striate.data.ImageShape;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.train.ReluBackward;
import dev.striate.viz.Pictures;
import dev.striate.weights.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * The report's pictures of a model's inside, drawn by the same code as {@code striate show filters}
 * and {@code striate show maps} ({@link Pictures}): the first conv2d layer's kernels, and that layer's
 * feature maps for the first test image (the model cut at the layer, its generated forward pass).
 * A model without a conv2d layer gets neither.
 */
public final class ModelFigures {
    /** The kernels of the first conv2d layer (every filter when it reads at most 3 channels, else filter 0's). */
    public static final ReportFigures FILTERS = context -> firstConv(context.bound()).map(node -> {
        Tensor w = context.bound().weight(node, "weight");
        int[] s = w.shape();
        int only = s[1] <= 3 ? -1 : 0;
        String title = "Filters of " + node.name() + (only < 0 ? "" : " (filter 0)") + " " + Pictures.shapeText(s);
        return List.of(new ReportFigures.Figure(title,
                Pictures.filters(node.name(), w.data(), s[0], s[1], s[2], s[3], only).render().image()));
    }).orElse(List.of());

    /** The first conv2d layer's feature maps for the first test image. */
    public static final ReportFigures MAPS = context -> firstConv(context.bound()).filter(n -> context.testImages().size() > 0)
            .map(node -> {
                float[] pixels = context.testImages().image(0);
                float[] x = pixels.clone();
                ImageShape shape = context.testImages().shape();
                if (context.normalization() != null) {
                    context.normalization().apply(x, 0, shape);
                }
                LayerProbe probe = LayerProbe.of(context.bound(), node.name(), false, ReluBackward.GRADIENT);
                Pictures.Layer layer = new Pictures.Layer(node.name(), probe.shape().dims(), probe.activations(x));
                int[] in = {shape.channels(), shape.height(), shape.width()};
                return List.of(new ReportFigures.Figure("Feature maps of " + node.name() + " for test image 0",
                        Pictures.maps(pixels, in, 0f, 255f, List.of(layer)).render().image()));
            }).orElse(List.of());

    private ModelFigures() {
    }

    private static Optional<Node> firstConv(Graph bound) {
        return bound.nodes().stream().filter(n -> n.op() instanceof Conv2d).findFirst();
    }
}
