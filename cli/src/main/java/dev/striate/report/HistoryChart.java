package dev.striate.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Training curves as a picture: loss (top) and accuracy (bottom) against the epoch, the training
 * split in blue and the validation split in orange, one marker per epoch, drawn by JFreeChart.
 * The test set never appears (see {@link History}). The image is always {@link #WIDTH} x
 * {@link #HEIGHT}.
 */
public final class HistoryChart {
    /** The picture's width in pixels. */
    public static final int WIDTH = 720;
    /** The picture's height in pixels. */
    public static final int HEIGHT = 540;
    /** The training series' colour. */
    public static final Color TRAIN = new Color(0x1f77b4);
    /** The validation series' colour. */
    public static final Color VALIDATION = new Color(0xff7f0e);
    /** The series keys, training first. */
    public static final String TRAIN_KEY = "train";
    /** The validation series' key. */
    public static final String VALIDATION_KEY = "validation";

    private HistoryChart() {
    }

    /** The chart: a combined plot whose first subplot is the loss, the second the accuracy. */
    public static JFreeChart chart(History history, String title) {
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        epochs.setLowerMargin(0.03);
        epochs.setUpperMargin(0.03);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.setGap(14);
        plot.add(subplot(history, "loss", History.Epoch::trainLoss, History.Epoch::valLoss, null, true));
        NumberFormat percent = NumberFormat.getPercentInstance(Locale.ROOT);
        percent.setMaximumFractionDigits(1);
        plot.add(subplot(history, "accuracy", History.Epoch::trainAccuracy, History.Epoch::valAccuracy, percent,
                false));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Charts.BACKGROUND);
        return chart;
    }

    /** The picture of {@link #chart}. */
    public static BufferedImage render(History history, String title) {
        return Charts.render(chart(history, title), WIDTH, HEIGHT, null);
    }

    private static XYPlot subplot(History history, String what, ToDoubleFunction<History.Epoch> train,
            ToDoubleFunction<History.Epoch> validation, NumberFormat format, boolean inLegend) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series(history, TRAIN_KEY, train));
        if (history.hasValidation()) {
            data.addSeries(series(history, VALIDATION_KEY, validation));
        }
        NumberAxis axis = new NumberAxis(what);
        axis.setAutoRangeIncludesZero(false);
        if (format != null) {
            axis.setNumberFormatOverride(format);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {TRAIN, VALIDATION};
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, colours[s]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesVisibleInLegend(s, inLegend);
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Charts.BACKGROUND);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        return plot;
    }

    private static XYSeries series(History history, String key, ToDoubleFunction<History.Epoch> value) {
        XYSeries series = new XYSeries(key, false, false);
        for (History.Epoch e : history.epochs()) {
            double v = value.applyAsDouble(e);
            series.add(Integer.valueOf(e.epoch()), Double.isNaN(v) ? null : Double.valueOf(v));
        }
        return series;
    }
}
