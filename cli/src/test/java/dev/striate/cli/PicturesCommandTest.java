package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.report.Charts;
import dev.striate.report.ConfusionChart;
import dev.striate.report.HistoryChart;
import dev.striate.report.HistoryReader;
import dev.striate.report.ModelFigures;
import dev.striate.train.ConfusionMatrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate show history}, {@code evaluate --plot} and {@code report} on a model trained here
 * (with hostile labels): the pictures are those of the history file and of the counts recomputed
 * from {@code evaluate --predictions}; the page escapes the labels; mistakes are E7xx errors
 * that write nothing.
 */
class PicturesCommandTest {
    static final String SCRIPT = "<script>alert('x')</script>";
    static final String QUOTES = "a & b \\\"q\\\" </td>";

    @TempDir
    static Path dir;
    static Path model;
    static Path weights;
    static Path log;

    @BeforeAll
    static void train() throws Exception {
        SyntheticIdx.write(dir.resolve("data"), 96, 40);
        model = Files.writeString(dir.resolve("bars.cnn"), SyntheticIdx.MODEL
                .replace("[\"horizontal\", \"vertical\"]", "[\"" + SCRIPT + "\", \"" + QUOTES + "\"]")
                .replace("seed = 7", "seed = 7\n    validation = 0.25"));
        weights = dir.resolve("bars.weights.json");
        log = dir.resolve("train.csv");
        Cli.Run run = Cli.run("train", model.toString(), "--data", dir.resolve("data").toString(), "--progress",
                "summary", "--threads", "1", "--epochs", "3", "--no-test", "--out", weights.toString(),
                "--log", log.toString());
        assertEquals(0, run.exitCode(), run.toString());
    }

    @Test
    void showHistoryDrawsTheLogsCurves() throws Exception {
        Path png = dir.resolve("curves.png");
        Cli.Run run = Cli.run("show", "history", log.toString(), "-o", png.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("3 epochs, training and validation"), run.out());
        assertArrayEquals(Charts.png(HistoryChart.render(HistoryReader.read(log), "training history: train.csv")),
                Files.readAllBytes(png));
        assertEquals(HistoryChart.WIDTH, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void mistakesAreE7xxErrorsAndWriteNothing() throws Exception {
        Path jpg = dir.resolve("curves.jpg");
        Cli.Run wrongKind = Cli.run("show", "history", log.toString(), "-o", jpg.toString());
        assertEquals(1, wrongKind.exitCode(), wrongKind.toString());
        assertTrue(wrongKind.err().contains("[E705]"), wrongKind.err());
        Path png = dir.resolve("never.png");
        Cli.Run missing = Cli.run("show", "history", dir.resolve("nope.csv").toString(), "-o", png.toString());
        assertTrue(missing.err().contains("[E710]") && missing.exitCode() == 1, missing.toString());
        Cli.Run noFolder = Cli.run("evaluate", model.toString(), "--data", dir.resolve("data").toString(),
                "--plot", dir.resolve("no/such/cm.png").toString());
        assertTrue(noFolder.err().contains("[E705]") && noFolder.exitCode() == 1, noFolder.toString());
        Cli.Run page = Cli.run("report", model.toString(), "--data", dir.resolve("data").toString(),
                "--history", dir.resolve("nope.csv").toString(), "-o", dir.resolve("never.html").toString());
        assertTrue(page.err().contains("[E710]") && page.exitCode() == 1, page.toString());
        assertFalse(Files.exists(jpg) || Files.exists(png) || Files.exists(dir.resolve("never.html")));
        Cli.Run pageAsPng = Cli.run("report", model.toString(), "--data", dir.resolve("data").toString(),
                "-o", png.toString());
        assertTrue(pageAsPng.err().contains("[E705]") && pageAsPng.exitCode() == 1, pageAsPng.toString());
        assertFalse(Files.exists(png));
        Cli.Run bare = Cli.run("show");
        assertEquals(1, bare.exitCode());
        assertTrue(bare.err().contains("history"), bare.err());
    }

    @Test
    void evaluatePlotAndTheReportShowEvaluatesCounts() throws Exception {
        Path csv = dir.resolve("predictions.csv");
        Path cm = dir.resolve("cm.png");
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--data", dir.resolve("data").toString(),
                "--predictions", csv.toString(), "--plot", cm.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        ConfusionMatrix recounted = new ConfusionMatrix(List.of(SCRIPT, QUOTES.replace("\\", "")));
        List<String> rows = Files.readAllLines(csv);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            recounted.add(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        }
        assertEquals(40, recounted.total());
        assertArrayEquals(Charts.png(ConfusionChart.render(recounted, "Bars")), Files.readAllBytes(cm));

        Path html = dir.resolve("report.html");
        Cli.Run report = Cli.run("report", model.toString(), "--data", dir.resolve("data").toString(),
                "--history", log.toString(), "--wrong", "4", "-o", html.toString());
        assertEquals(0, report.exitCode(), report.toString());
        Document doc = Jsoup.parse(Files.readString(html));
        assertTrue(doc.select("script").isEmpty());
        String plain = QUOTES.replace("\\", "");
        assertTrue(doc.text().contains("predicted: " + SCRIPT) || doc.text().contains("predicted: " + plain),
                doc.text());
        assertTrue(doc.select("td").eachText().containsAll(recounted.classNames()), doc.select("td").eachText()
                .toString());
        assertPicture(doc, "confusion", ConfusionChart.render(recounted, "Bars"));
        assertPicture(doc, "curves", HistoryChart.render(HistoryReader.read(log), "training history: train.csv"));
        long wrong = recounted.total() - recounted.correct();
        assertEquals(Math.min(4, wrong), doc.select("img[id^=wrong-]").size());
    }

    @Test
    void theReportShowsTheFirstConvolutionsFiltersAndMapsAsTheShowCommandsDrawThem() throws Exception {
        Path html = dir.resolve("figures.html");
        Cli.Run report = Cli.run("report", model.toString(), "--data", dir.resolve("data").toString(), "-o",
                html.toString());
        assertEquals(0, report.exitCode(), report.toString());
        Document doc = Jsoup.parse(Files.readString(html));
        assertTrue(doc.text().contains("Filters of conv2d_1"), doc.text());
        assertTrue(doc.text().contains("Feature maps of conv2d_1 for test image 0"), doc.text());
        assertTrue(doc.text().contains("Feature maps of conv2d_1 for test image 2"), doc.text());
        assertEquals(1 + ModelFigures.MAP_IMAGES, doc.select("img[id^=figure-]").size());

        Path filters = dir.resolve("filters.png");
        Cli.Run show = Cli.run("show", "filters", model.toString(), "-w", weights.toString(), "-o", filters.toString());
        assertEquals(0, show.exitCode(), show.toString());
        assertSamePixels(ImageIO.read(filters.toFile()), figure(doc, "figure-1"));

        // test image 0 of the IDX file, as a gray PNG: what `show maps` reads
        byte[] idx = Files.readAllBytes(dir.resolve("data").resolve("t10k-images-idx3-ubyte"));
        BufferedImage first = new BufferedImage(SyntheticIdx.SIDE, SyntheticIdx.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        first.getRaster().setDataElements(0, 0, SyntheticIdx.SIDE, SyntheticIdx.SIDE,
                java.util.Arrays.copyOfRange(idx, 16, 16 + SyntheticIdx.SIDE * SyntheticIdx.SIDE));
        Path image = dir.resolve("test0.png");
        ImageIO.write(first, "png", image.toFile());
        Path maps = dir.resolve("maps.png");
        Cli.Run mapsRun = Cli.run("show", "maps", model.toString(), image.toString(), "-w", weights.toString(),
                "--layers", "conv2d_1", "-o", maps.toString());
        assertEquals(0, mapsRun.exitCode(), mapsRun.toString());
        assertSamePixels(ImageIO.read(maps.toFile()), figure(doc, "figure-2"));
    }

    private static BufferedImage figure(Document doc, String id) throws Exception {
        String src = doc.getElementById(id).attr("src");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int w = expected.getWidth();
        int h = expected.getHeight();
        assertArrayEquals(expected.getRGB(0, 0, w, h, null, 0, w), actual.getRGB(0, 0, w, h, null, 0, w));
    }

    private static void assertPicture(Document doc, String id, BufferedImage expected) throws Exception {
        String src = doc.getElementById(id).attr("src");
        byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
        assertArrayEquals(Charts.png(expected), png, id);
        assertEquals(expected.getWidth(), ImageIO.read(new ByteArrayInputStream(png)).getWidth());
    }
}
