package dev.striate.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.train.EpochStats;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curves' points are the history file's: the chart's datasets hold exactly the logged values,
 * and the picture has each series' colour where the plot's axes put each point.
 */
class HistoryChartTest {
    @TempDir
    Path dir;

    private static final List<ToDoubleFunction<EpochStats>> TRAIN = List.of(EpochStats::trainLoss,
            EpochStats::trainAccuracy);
    private static final List<ToDoubleFunction<EpochStats>> VALIDATION = List.of(EpochStats::valLoss,
            EpochStats::valAccuracy);

    @Test
    void theDataPointsAreTheHistoryFilesAndArePaintedWhereTheAxesPutThem() throws Exception {
        List<EpochStats> run = Histories.run(8, true);
        History history = HistoryReader.read(Histories.write(dir.resolve("train.csv"), run));
        JFreeChart chart = HistoryChart.chart(history, "t");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = Charts.render(chart, HistoryChart.WIDTH, HistoryChart.HEIGHT, info);
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getXYPlot();
        List<XYPlot> subplots = plot.getSubplots();
        assertEquals(2, subplots.size(), "loss and accuracy");
        int checked = 0;
        for (int p = 0; p < 2; p++) {
            XYPlot sub = subplots.get(p);
            XYDataset data = sub.getDataset();
            assertEquals(2, data.getSeriesCount(), "train and validation, nothing else");
            assertEquals(HistoryChart.TRAIN_KEY, data.getSeriesKey(0));
            assertEquals(HistoryChart.VALIDATION_KEY, data.getSeriesKey(1));
            Rectangle2D area = info.getPlotInfo().getSubplotInfo(p).getDataArea();
            for (int s = 0; s < 2; s++) {
                ToDoubleFunction<EpochStats> column = (s == 0 ? TRAIN : VALIDATION).get(p);
                Color colour = s == 0 ? HistoryChart.TRAIN : HistoryChart.VALIDATION;
                assertEquals(run.size(), data.getItemCount(s));
                for (int i = 0; i < run.size(); i++) {
                    double x = data.getXValue(s, i);
                    double y = data.getYValue(s, i);
                    assertEquals(run.get(i).epoch(), x);
                    assertEquals(Histories.logged(column.applyAsDouble(run.get(i))), y, "series " + s + " item " + i);
                    int px = (int) plot.getDomainAxis().valueToJava2D(x, area, sub.getDomainAxisEdge());
                    int py = (int) sub.getRangeAxis().valueToJava2D(y, area, sub.getRangeAxisEdge());
                    if (!otherPointNear(data, 1 - s, px, py, plot, sub, area)) {
                        assertEquals(colour.getRGB(), image.getRGB(px, py),
                                "plot " + p + " series " + s + " epoch " + (i + 1) + " at " + px + "," + py);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 16, "most points are apart: " + checked);
    }

    @Test
    void aRunWithoutValidationDrawsOnlyTheTrainingCurves() throws Exception {
        History history = HistoryReader.read(Histories.write(dir.resolve("train.csv"), Histories.run(4, false)));
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) HistoryChart.chart(history, "t").getXYPlot();
        for (XYPlot sub : plot.getSubplots()) {
            assertEquals(1, sub.getDataset().getSeriesCount());
            assertEquals(HistoryChart.TRAIN_KEY, sub.getDataset().getSeriesKey(0));
        }
    }

    @Test
    void aMissingValueIsAGapNotAZero() throws Exception {
        Path csv = dir.resolve("gap.csv");
        java.nio.file.Files.writeString(csv, "epoch,train_loss,train_acc,val_loss,val_acc\n1,0.5,0.8,0.4,0.85\n"
                + "2,,0.9,0.3,0.9\n3,0.2,0.95,0.25,0.92\n");
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) HistoryChart.chart(HistoryReader.read(csv), "t").getXYPlot();
        XYDataset loss = plot.getSubplots().get(0).getDataset();
        assertNull(loss.getY(0, 1));
        assertEquals(0.2, loss.getYValue(0, 2));
    }

    @Test
    void thePictureIsTheSameBytesEveryTime() throws Exception {
        History history = HistoryReader.read(Histories.write(dir.resolve("train.csv"), Histories.run(5, true)));
        assertArrayEquals(Charts.png(HistoryChart.render(history, "t")), Charts.png(HistoryChart.render(history, "t")));
        BufferedImage image = HistoryChart.render(history, "t");
        assertEquals(HistoryChart.WIDTH, image.getWidth());
        assertEquals(HistoryChart.HEIGHT, image.getHeight());
    }

    /** Whether series {@code s} has a point within 10 pixels of {@code (px, py)} (it may be drawn over it). */
    private static boolean otherPointNear(XYDataset data, int s, int px, int py, CombinedDomainXYPlot plot, XYPlot sub,
            Rectangle2D area) {
        for (int i = 0; i < data.getItemCount(s); i++) {
            double qx = plot.getDomainAxis().valueToJava2D(data.getXValue(s, i), area, sub.getDomainAxisEdge());
            double qy = sub.getRangeAxis().valueToJava2D(data.getYValue(s, i), area, sub.getRangeAxisEdge());
            if (Math.abs(qx - px) < 10 && Math.abs(qy - py) < 10) {
                return true;
            }
        }
        return false;
    }
}
