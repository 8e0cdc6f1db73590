package dev.striate.report;

import dev.striate.backend.train.LayerProbe;
import dev.striate.data.ImageShape;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.train.ReluBackward;
import dev.striate.viz.Pictures;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report's pictures of a model's inside, drawn by the same code as {@code striate show filters}
 * and {@code striate show maps} ({@link Pictures}): the first conv2d layer's kernels, and that layer's
 * feature maps for the first few test images (the model cut at the layer, its generated forward pass).
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

    /** How many test images' feature maps the report shows. */
    public static final int MAP_IMAGES = 3;

    /** The first conv2d layer's feature maps for the first {@link #MAP_IMAGES} test images. */
    public static final ReportFigures MAPS = context -> firstConv(context.bound()).map(node -> {
        LayerProbe probe = LayerProbe.of(context.bound(), node.name(), false, ReluBackward.GRADIENT);
        ImageShape shape = context.testImages().shape();
        int[] in = {shape.channels(), shape.height(), shape.width()};
        List<ReportFigures.Figure> figures = new ArrayList<>();
        for (int i = 0; i < Math.min(MAP_IMAGES, context.testImages().size()); i++) {
            float[] pixels = context.testImages().image(i);
            float[] x = pixels.clone();
            if (context.normalization() != null) {
                context.normalization().apply(x, 0, shape);
            }
            Pictures.Layer layer = new Pictures.Layer(node.name(), probe.shape().dims(), probe.activations(x));
            figures.add(new ReportFigures.Figure("Feature maps of " + node.name() + " for test image " + i,
                    Pictures.maps(pixels, in, 0f, 255f, List.of(layer)).render().image()));
        }
        return List.copyOf(figures);
    }).orElse(List.of());

    private ModelFigures() {
    }

    private static Optional<Node> firstConv(Graph bound) {
        return bound.nodes().stream().filter(n -> n.op() instanceof Conv2d).findFirst();
    }
}
