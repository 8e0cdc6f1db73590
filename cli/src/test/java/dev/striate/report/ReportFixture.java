package dev.striate.report;

import dev.striate.data.ImageShape;
import dev.striate.train.ConfusionMatrix;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A report's content with hostile text everywhere the model supplies text, for the page tests. */
final class ReportFixture {
    static final String SCRIPT = "<script>alert('x')</script>";
    static final String QUOTES = "a & b \"q\" 'r' </td><img src=x onerror=alert(1)>";
    static final String LONG = "class-" + "w".repeat(300);
    static final List<String> LABELS = List.of(SCRIPT, QUOTES, LONG, "plain");

    private ReportFixture() {
    }

    static ReportPage.Content content(Path dir, int wrong) throws Exception {
        History history = HistoryReader.read(Histories.write(dir.resolve("train.csv"), Histories.run(6, true)));
        ConfusionMatrix m = ConfusionChartTest.matrix(LABELS, 9);
        List<ReportPage.Wrong> shown = new ArrayList<>();
        for (int i = 0; i < wrong; i++) {
            shown.add(new ReportPage.Wrong(100 + i, LABELS.get(i % 4), LABELS.get((i + 1) % 4), 0.99 - i * 0.01,
                    Thumbnails.of(digit(i), new ImageShape(i % 2 == 0 ? 1 : 3, 28, 28))));
        }
        BufferedImage figure = new BufferedImage(300, 40, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 300; x++) {
            for (int y = 0; y < 40; y++) {
                figure.setRGB(x, y, x < 150 ? 0x2ca02c : 0xd62728);
            }
        }
        List<ReportPage.Table> tables = List.of(new ReportPage.Table("Per-class accuracy " + SCRIPT,
                List.of("class", "images"), List.of(List.of(SCRIPT, "3"), List.of(QUOTES, "4"))));
        return new ReportPage.Content(QUOTES + SCRIPT, List.of("Model " + SCRIPT + " on data", "accuracy 50%"),
                HistoryChart.render(history, "t"), ConfusionChart.render(m, SCRIPT), shown, 40,
                List.of(new ReportFigures.Figure("filters of " + SCRIPT, figure)), tables);
    }

    /** A synthetic image: a bright square whose place depends on {@code i}, over a gradient, 0..255. */
    static float[] digit(int i) {
        int channels = i % 2 == 0 ? 1 : 3;
        float[] p = new float[channels * 28 * 28];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean on = Math.abs(x - 6 - i) < 5 && Math.abs(y - 14) < 6;
                    p[c * 784 + y * 28 + x] = on ? 255 - 60 * c : 4 * x + 20 * c;
                }
            }
        }
        return p;
    }
}
