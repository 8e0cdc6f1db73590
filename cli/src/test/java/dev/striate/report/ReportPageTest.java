package dev.striate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page, parsed by an independent HTML parser (jsoup): hostile labels and names come
 * back as the same text, never as elements or attributes; the pictures are inline PNGs equal to
 * the ones placed, at the boxes the page says.
 */
class ReportPageTest {
    @TempDir
    Path dir;

    @Test
    void hostileTextIsEscapedAndReadsBackAsText() throws Exception {
        ReportPage.Page page = ReportPage.of(ReportFixture.content(dir, 5));
        Document doc = Jsoup.parse(page.html());
        assertTrue(doc.select("script").isEmpty(), "no script element");
        assertTrue(doc.select("[onerror]").isEmpty(), "no event handler attribute");
        assertEquals(page.images().size(), doc.select("img").size(), "only the placed images");
        assertEquals(ReportFixture.QUOTES + ReportFixture.SCRIPT, doc.selectFirst("h1").text());
        assertEquals(ReportFixture.QUOTES + ReportFixture.SCRIPT + " - Striate report", doc.title());
        String texts = doc.select(".t").stream().map(Element::wholeText).collect(Collectors.joining("\n"));
        for (String label : ReportFixture.LABELS) {
            assertTrue(texts.contains("actual: " + label), label);
            assertTrue(texts.contains("predicted: " + label), label);
        }
        assertTrue(doc.select(".t").stream().anyMatch(e -> e.attr("title").equals("actual: " + ReportFixture.QUOTES)));
        List<String> cells = doc.select("td").eachText();
        assertTrue(cells.contains(ReportFixture.SCRIPT) && cells.contains(ReportFixture.QUOTES), cells.toString());
        assertEquals("default-src 'none'; img-src data:; style-src 'unsafe-inline'",
                doc.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"));
        assertFalse(page.html().contains(ReportFixture.SCRIPT), "the raw tag never appears");
    }

    @Test
    void everyPictureIsAnInlinePngOfThePlacedImageInItsBox() throws Exception {
        ReportPage.Page page = ReportPage.of(ReportFixture.content(dir, 11));
        Document doc = Jsoup.parse(page.html());
        assertEquals(List.of("curves", "confusion", "wrong-1"), page.images().subList(0, 3).stream()
                .map(ReportPage.Placed::id).toList());
        assertEquals(2 + 11 + 1, page.images().size());
        for (ReportPage.Placed p : page.images()) {
            Element img = doc.getElementById(p.id());
            String src = img.attr("src");
            assertTrue(src.startsWith("data:image/png;base64,"), p.id());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    src.substring(src.indexOf(',') + 1))));
            assertEquals(p.width(), decoded.getWidth());
            assertEquals(p.height(), decoded.getHeight());
            for (int y = 0; y < p.height(); y += 7) {
                for (int x = 0; x < p.width(); x += 7) {
                    assertEquals(p.image().getRGB(x, y), decoded.getRGB(x, y), p.id() + " at " + x + "," + y);
                }
            }
            assertEquals("left:" + p.x() + "px;top:" + p.y() + "px;width:" + p.width() + "px;height:" + p.height()
                    + "px", img.attr("style"));
        }
    }

    @Test
    void withoutAHistoryThePageSaysSoAndHasNoCurves() throws Exception {
        ReportPage.Content c = ReportFixture.content(dir, 0);
        ReportPage.Page page = ReportPage.of(new ReportPage.Content(c.title(), c.lines(), null, c.confusion(),
                c.wrong(), 0, List.of(), c.tables()));
        Document doc = Jsoup.parse(page.html());
        assertEquals(null, doc.getElementById("curves"));
        assertTrue(doc.text().contains("No training history"));
        assertEquals(List.of("confusion"), page.images().stream().map(ReportPage.Placed::id).toList());
    }
}
