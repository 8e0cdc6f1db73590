package dev.striate.report;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.io.AtomicFiles;
import dev.striate.viz.ImageGrid;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/**
 * What the pictures share: rendering a chart at a fixed size, PNG encoding through the JDK's
 * ImageIO (no timestamps or other varying chunks: the same image gives the same bytes), data URIs
 * for the report, and the one check and atomic write of every picture or page output ({@code striate
 * show}, {@code evaluate --plot}, {@code report}): a mistake in the path is E705 wherever it is made.
 */
public final class Charts {
    /** The chart background. */
    public static final Color BACKGROUND = Color.WHITE;

    private Charts() {
    }

    /** Draws {@code chart} into a new {@code width x height} RGB image, recording the areas in {@code info} (may be null). */
    public static BufferedImage render(JFreeChart chart, int width, int height, ChartRenderingInfo info) {
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
    }

    /** The PNG bytes of {@code image} (the pictures' one encoder, {@link ImageGrid#png}). */
    public static byte[] png(BufferedImage image) {
        return ImageGrid.png(image);
    }

    /** {@code data:image/png;base64,...} of {@code image}. */
    public static String dataUri(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image));
    }

    /**
     * Checks that {@code file} is a name ending in {@code extension} (e.g. {@code .png}), not only
     * the extension, that it is not a folder and that its folder exists, before any work: a
     * mistake is reported (E705, positioned at the path) before minutes of evaluation.
     */
    public static void checkOutput(Path file, String extension, String option) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(extension) || name.length() == extension.length()) {
            throw error(file, option + " must name a " + extension + " file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw error(file, "the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw error(file, "the output is a folder");
        }
    }

    /** Writes {@code bytes} to {@code file} atomically (a temporary file renamed): all or nothing. */
    public static void write(Path file, byte[] bytes) {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw error(file, "cannot write: " + e.getMessage());
        }
    }

    private static CompileException error(Path file, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.SHOW_OUTPUT, new SourcePos(file.toString(), 0, 0),
                message));
    }
}
