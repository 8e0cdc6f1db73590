package dev.striate.report;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.train.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A confusion matrix as a picture, drawn by JFreeChart as a block plot: one cell per (actual row,
 * predicted column), coloured by the fraction of the actual class's images it holds (white 0 to
 * dark blue 1, with a legend) and labelled with its count when the cells are large enough
 * ({@value #MAX_LABELLED} classes or fewer). Row 0 is at the top. Always {@link #WIDTH} x {@link #HEIGHT}.
 */
public final class ConfusionChart {
    /** The picture's width in pixels. */
    public static final int WIDTH = 600;
    /** The picture's height in pixels. */
    public static final int HEIGHT = 560;
    /** The most classes drawn (E714 above). */
    public static final int MAX_CLASSES = 256;
    /** The most classes whose cells carry their counts. */
    public static final int MAX_LABELLED = 30;
    /** The colour of a fraction in {@code [0, 1]}. */
    public static final PaintScale SCALE = new BlueScale();

    private static final int NAME_CHARS = 12;

    private ConfusionChart() {
    }

    /**
     * The chart: its dataset's item {@code (x, y, z)} is (predicted, actual, fraction of the actual
     * class), and each count is a text annotation at its cell's centre.
     */
    public static JFreeChart chart(ConfusionMatrix matrix, String title) {
        int n = matrix.classCount();
        if (n > MAX_CLASSES) {
            throw new CompileException(Diagnostic.error(ErrorCode.PLOT_TOO_MANY_CLASSES, SourcePos.NONE,
                    "a confusion matrix picture of " + n + " classes: at most " + MAX_CLASSES + " are drawn"));
        }
        double[][] cells = new double[3][n * n];
        for (int actual = 0; actual < n; actual++) {
            long support = matrix.support(actual);
            for (int predicted = 0; predicted < n; predicted++) {
                int i = actual * n + predicted;
                cells[0][i] = predicted;
                cells[1][i] = actual;
                cells[2][i] = support == 0 ? 0 : (double) matrix.count(actual, predicted) / support;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("fraction of the actual class", cells);
        String[] names = names(matrix);
        SymbolAxis predicted = new SymbolAxis("predicted", names);
        SymbolAxis actual = new SymbolAxis("actual", names);
        actual.setInverted(true);
        for (SymbolAxis axis : new SymbolAxis[] {predicted, actual}) {
            axis.setGridBandsVisible(false);
            axis.setTickLabelsVisible(n <= 40);
            axis.setRange(-0.5, n - 0.5);
        }
        predicted.setVerticalTickLabels(n > 10);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(SCALE);
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setBackgroundPaint(Charts.BACKGROUND);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (n <= MAX_LABELLED) {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n <= 12 ? 12 : 9);
            for (int i = 0; i < n * n; i++) {
                long count = matrix.count((int) cells[1][i], (int) cells[0][i]);
                XYTextAnnotation label = new XYTextAnnotation(Long.toString(count), cells[0][i], cells[1][i]);
                label.setFont(font);
                label.setPaint(cells[2][i] > 0.5 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(label, false);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("fraction of the actual class");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(SCALE, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(12);
        legend.setMargin(8, 8, 8, 8);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Charts.BACKGROUND);
        return chart;
    }

    /** The picture of {@link #chart}. */
    public static BufferedImage render(ConfusionMatrix matrix, String title) {
        return Charts.render(chart(matrix, title), WIDTH, HEIGHT, null);
    }

    private static String[] names(ConfusionMatrix matrix) {
        String[] names = new String[matrix.classCount()];
        for (int c = 0; c < names.length; c++) {
            String name = matrix.classNames().get(c);
            names[c] = name.codePointCount(0, name.length()) <= NAME_CHARS ? name
                    : name.substring(0, name.offsetByCodePoints(0, NAME_CHARS - 1)) + "\u2026";
        }
        return names;
    }

    /** White at 0 to dark blue ({@code #08306b}) at 1, linear in each channel. */
    private static final class BlueScale implements PaintScale, Serializable {
        private static final long serialVersionUID = 1L;
        private static final int[] LOW = {255, 255, 255};
        private static final int[] HIGH = {0x08, 0x30, 0x6b};

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
            int[] c = new int[3];
            for (int k = 0; k < 3; k++) {
                c[k] = (int) Math.round(LOW[k] + (HIGH[k] - LOW[k]) * t);
            }
            return new Color(c[0], c[1], c[2]);
        }
    }
}
