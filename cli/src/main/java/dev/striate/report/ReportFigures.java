package dev.striate.report;

import dev.striate.data.Dataset;
import dev.striate.data.Normalization;
import dev.striate.ir.Graph;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A source of pictures of a model's inside for {@code striate report}: learned filters, feature
 * maps of a few test images. The report places each {@link Figure} full width, in order, below the
 * wrong images. The picture commands' code ({@code striate show filters}, {@code show maps})
 * implements it ({@link ModelFigures}); {@code ReportCommand.FIGURES} lists the sources the report uses.
 */
@FunctionalInterface
public interface ReportFigures {

    /** A titled picture, shown at its own size. */
    record Figure(String title, BufferedImage image) {
    }

    /**
     * What a source may draw from: the model with its weights bound, the test images (unnormalized,
     * {@code 0..255}) and the normalization training applied (null for none).
     */
    record Context(Graph bound, Dataset testImages, Normalization normalization) {
    }

    /** The pictures for {@code context}, in page order. */
    List<Figure> figures(Context context);
}
