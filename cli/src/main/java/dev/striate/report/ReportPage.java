package dev.striate.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.owasp.encoder.Encode;

/**
 * The {@code striate report} page: one self-contained HTML file (pictures inline as {@code data:}
 * URIs, no script, a Content-Security-Policy that allows nothing else) laid out in fixed boxes at
 * known positions, so that {@link Page#images()} says where a browser shows each picture. Every text
 * that comes from the model or the data (names, labels, shapes) is escaped for its HTML context by
 * the OWASP Java Encoder.
 */
public final class ReportPage {
    /** The page's width in CSS pixels. */
    public static final int WIDTH = 1380;
    static final int MARGIN = 16;
    static final int CAPTION = 24;
    static final int TOP = 80;
    static final int CELL_WIDTH = 136;
    static final int CELL_HEIGHT = 156;

    private static final String STYLE = "body{margin:0;font:14px sans-serif;color:#222;background:#fff}"
            + ".a{position:absolute;margin:0;overflow:hidden}"
            + ".t{white-space:nowrap;text-overflow:ellipsis}"
            + "h1{font-size:22px;line-height:30px}h2{font-size:16px;line-height:24px}"
            + "table{border-collapse:collapse;margin:0 0 16px 0}td,th{padding:2px 10px;text-align:right;"
            + "border-bottom:1px solid #ddd}td:first-child,th:first-child{text-align:left}";

    /** A picture on the page: its element id, its top-left corner and size in CSS pixels, and the picture. */
    public record Placed(String id, int x, int y, int width, int height, BufferedImage image) {
    }

    /** A confidently wrong test image: its index, actual and predicted labels and the predicted class's probability. */
    public record Wrong(int index, String actual, String predicted, double confidence, BufferedImage image) {
    }

    /** A table of text cells: a caption, a header row and the rows. */
    public record Table(String caption, List<String> header, List<List<String>> rows) {
    }

    /**
     * What the page shows.
     *
     * @param title       the model's name
     * @param lines       lines under the title (what was evaluated, the accuracy)
     * @param curves      the training curves, or null when no history was given
     * @param confusion   the confusion matrix picture
     * @param wrong       the most confidently wrong images, most confident first
     * @param wrongTotal  how many test images were wrong
     * @param figures     further pictures ({@link ReportFigures})
     * @param tables      tables at the end (layers, per-class accuracy)
     */
    public record Content(String title, List<String> lines, BufferedImage curves, BufferedImage confusion,
            List<Wrong> wrong, long wrongTotal, List<ReportFigures.Figure> figures, List<Table> tables) {
    }

    /** The page: its HTML, where each picture is, and the top of the tables (the height of the fixed part). */
    public record Page(String html, List<Placed> images, int fixedHeight) {
    }

    private final StringBuilder body = new StringBuilder();
    private final List<Placed> placed = new ArrayList<>();

    private ReportPage() {
    }

    /** Lays out and writes the page for {@code content}. */
    public static Page of(Content content) {
        ReportPage page = new ReportPage();
        page.text("h1", MARGIN, 8, WIDTH - 2 * MARGIN, 30, content.title());
        for (int i = 0; i < content.lines().size() && i < 2; i++) {
            page.text("div", MARGIN, 40 + 18 * i, WIDTH - 2 * MARGIN, 18, content.lines().get(i));
        }
        int x = MARGIN;
        page.text("h2", x, TOP, HistoryChart.WIDTH, CAPTION, "Training curves (train and validation)");
        if (content.curves() != null) {
            page.image("curves", x, TOP + CAPTION, content.curves(), "training curves");
        } else {
            page.text("div", x, TOP + CAPTION, HistoryChart.WIDTH, 20, "No training history: pass --history RUN.csv "
                    + "(the log striate train --log writes).");
        }
        x += HistoryChart.WIDTH + MARGIN;
        page.text("h2", x, TOP, ConfusionChart.WIDTH, CAPTION, "Confusion matrix (rows: actual, columns: predicted)");
        page.image("confusion", x, TOP + CAPTION, content.confusion(), "confusion matrix");
        int y = TOP + CAPTION + Math.max(HistoryChart.HEIGHT, ConfusionChart.HEIGHT) + MARGIN;
        y = page.wrong(content, y);
        for (int i = 0; i < content.figures().size(); i++) {
            ReportFigures.Figure f = content.figures().get(i);
            page.text("h2", MARGIN, y, WIDTH - 2 * MARGIN, CAPTION, f.title());
            page.image("figure-" + (i + 1), MARGIN, y + CAPTION, f.image(), f.title());
            y += CAPTION + f.image().getHeight() + MARGIN;
        }
        page.tables(content.tables(), y);
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
                + "style-src 'unsafe-inline'\"><title>" + Encode.forHtml(content.title()) + " - Striate report</title>"
                + "<style>" + STYLE + "</style></head>\n<body style=\"width:" + WIDTH + "px\">\n" + page.body
                + "</body></html>\n";
        return new Page(html, List.copyOf(page.placed), y);
    }

    private int wrong(Content content, int top) {
        List<Wrong> wrong = content.wrong();
        text("h2", MARGIN, top, WIDTH - 2 * MARGIN, CAPTION, "Most confidently wrong test images ("
                + wrong.size() + " of " + content.wrongTotal() + " wrong)");
        int perRow = (WIDTH - 2 * MARGIN) / CELL_WIDTH;
        int y = top + CAPTION;
        for (int i = 0; i < wrong.size(); i++) {
            Wrong w = wrong.get(i);
            int cx = MARGIN + (i % perRow) * CELL_WIDTH;
            int cy = y + (i / perRow) * CELL_HEIGHT;
            image("wrong-" + (i + 1), cx, cy, w.image(), "test image " + w.index());
            int ty = cy + Thumbnails.SIZE + 4;
            int tw = CELL_WIDTH - 8;
            text("div", cx, ty, tw, 16, String.format(Locale.ROOT, "#%d, %.1f%%", w.index(), 100 * w.confidence()));
            text("div", cx, ty + 16, tw, 16, "actual: " + w.actual());
            text("div", cx, ty + 32, tw, 16, "predicted: " + w.predicted());
        }
        int rows = (wrong.size() + perRow - 1) / perRow;
        return y + Math.max(rows * CELL_HEIGHT, 20) + MARGIN;
    }

    private void tables(List<Table> tables, int top) {
        body.append("<div class=\"a\" style=\"left:").append(MARGIN).append("px;top:").append(top)
                .append("px;overflow:visible\">\n");
        for (Table t : tables) {
            body.append("<h2>").append(Encode.forHtml(t.caption())).append("</h2>\n<table><tr>");
            for (String h : t.header()) {
                body.append("<th>").append(Encode.forHtml(h)).append("</th>");
            }
            body.append("</tr>\n");
            for (List<String> row : t.rows()) {
                body.append("<tr>");
                for (String cell : row) {
                    body.append("<td>").append(Encode.forHtml(cell)).append("</td>");
                }
                body.append("</tr>\n");
            }
            body.append("</table>\n");
        }
        body.append("</div>\n");
    }

    /** A text element in a fixed box: one line, cut with an ellipsis, its full text in the title attribute. */
    private void text(String tag, int x, int y, int width, int height, String text) {
        body.append('<').append(tag).append(" class=\"a t\" style=\"").append(box(x, y, width, height))
                .append("\" title=\"").append(Encode.forHtmlAttribute(text)).append("\">")
                .append(Encode.forHtml(text)).append("</").append(tag).append(">\n");
    }

    private void image(String id, int x, int y, BufferedImage image, String alt) {
        int w = image.getWidth();
        int h = image.getHeight();
        body.append("<img class=\"a\" id=\"").append(id).append("\" style=\"").append(box(x, y, w, h))
                .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\" alt=\"")
                .append(Encode.forHtmlAttribute(alt)).append("\" src=\"").append(Charts.dataUri(image)).append("\">\n");
        placed.add(new Placed(id, x, y, w, h, image));
    }

    private static String box(int x, int y, int width, int height) {
        return "left:" + x + "px;top:" + y + "px;width:" + width + "px;height:" + height + "px";
    }
}
