package dev.striate.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.train.ConfusionMatrix;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;

/** The confusion matrix picture holds the matrix's counts, and each cell is painted with its row fraction's colour. */
class ConfusionChartTest {

    static ConfusionMatrix matrix(List<String> names, long seed) {
        ConfusionMatrix m = new ConfusionMatrix(names);
        Random r = new Random(seed);
        int n = names.size();
        for (int s = 0; s < 40 * n; s++) {
            int actual = r.nextInt(n);
            m.add(actual, r.nextInt(4) == 0 ? r.nextInt(n) : actual);
        }
        return m;
    }

    @Test
    void theCellsHoldTheCountsAndTheirRowFractionsColours() {
        ConfusionMatrix m = matrix(List.of("zero", "one", "<two>", "three & four", "a-rather-long-class-name"), 3);
        JFreeChart chart = ConfusionChart.chart(m, "t");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = Charts.render(chart, ConfusionChart.WIDTH, ConfusionChart.HEIGHT, info);
        XYPlot plot = chart.getXYPlot();
        XYZDataset data = (XYZDataset) plot.getDataset();
        int n = m.classCount();
        assertEquals(n * n, data.getItemCount(0));
        Map<String, String> labels = new HashMap<>();
        for (XYAnnotation a : plot.getAnnotations()) {
            XYTextAnnotation t = (XYTextAnnotation) a;
            labels.put((int) t.getX() + "," + (int) t.getY(), t.getText());
        }
        Rectangle2D area = info.getPlotInfo().getDataArea();
        for (int i = 0; i < n * n; i++) {
            int predicted = (int) data.getXValue(0, i);
            int actual = (int) data.getYValue(0, i);
            double fraction = (double) m.count(actual, predicted) / m.support(actual);
            assertEquals(fraction, data.getZValue(0, i), 1e-12);
            assertEquals(Long.toString(m.count(actual, predicted)), labels.get(predicted + "," + actual));
            // a point a quarter of a cell from the cell's top-left corner: inside the block, away from the count
            double x = plot.getDomainAxis().valueToJava2D(predicted - 0.25, area, plot.getDomainAxisEdge());
            double y = plot.getRangeAxis().valueToJava2D(actual - 0.25, area, plot.getRangeAxisEdge());
            Color expected = (Color) ConfusionChart.SCALE.getPaint(fraction);
            assertEquals(expected.getRGB(), image.getRGB((int) x, (int) y), "cell " + actual + "," + predicted);
        }
        assertEquals(n * n, labels.size());
        // row 0 is drawn at the top
        assertTrue(plot.getRangeAxis().valueToJava2D(0, area, plot.getRangeAxisEdge())
                < plot.getRangeAxis().valueToJava2D(1, area, plot.getRangeAxisEdge()));
    }

    @Test
    void theScaleRunsFromWhiteToDarkBlue() {
        assertEquals(Color.WHITE, ConfusionChart.SCALE.getPaint(0));
        assertEquals(new Color(0x08306b), ConfusionChart.SCALE.getPaint(1));
    }

    @Test
    void thePictureIsTheSameBytesEveryTimeAndTooManyClassesAreRefused() {
        ConfusionMatrix m = matrix(List.of("a", "b", "c"), 1);
        assertArrayEquals(Charts.png(ConfusionChart.render(m, "t")), Charts.png(ConfusionChart.render(m, "t")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ConfusionChart.MAX_CLASSES; i++) {
            many.add("c" + i);
        }
        CompileException e = assertThrows(CompileException.class,
                () -> ConfusionChart.chart(new ConfusionMatrix(many), "t"));
        assertEquals("E714", e.diagnostics().get(0).code().code());
        BufferedImage big = ConfusionChart.render(matrix(many.subList(0, 100), 2), "t");
        assertEquals(ConfusionChart.WIDTH, big.getWidth());
    }
}
