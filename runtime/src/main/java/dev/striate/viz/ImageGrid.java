package dev.striate.viz;

import dev.striate.io.AtomicFiles;
import dev.striate.weights.Show;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A picture made of labelled rows of {@link Tile}s, written as PNG: what every {@code striate
 * show} picture (and the HTML report's images) is drawn with. Each row has a title line (a layer's
 * name and shape), optionally a {@link Legend} (a colour bar from {@code -limit} through 0 to
 * {@code +limit}, with the numbers: a {@link ColorScale} or a {@link ChannelScale}), then its tiles, magnified by whole
 * pixels (nearest neighbour) and wrapped after {@link #columns} tiles. Layout does not depend on
 * fonts: titles and legend numbers are drawn into fixed-height lines, so tests can read tiles at
 * their {@link Placement}s. The same rows give byte-identical PNGs on one JDK.
 *
 * <pre>{@code
 * ImageGrid grid = new ImageGrid(16);
 * ColorScale scale = ColorScale.spanning(weights);
 * grid.row("conv1 [2, 1, 3, 3]", scale, List.of(Tile.of(weights, 0, 3, 3, scale), Tile.of(weights, 9, 3, 3, scale)));
 * ImageGrid.writePng(grid.render().image(), Path.of("filters.png"));
 * }</pre>
 */
public final class ImageGrid {
    /** The largest picture, in pixels (width times height). */
    public static final long MAX_PIXELS = 8192L * 8192L;
    /** Margin around the picture and gap between tiles, in pixels. */
    public static final int MARGIN = 8;
    public static final int GAP = 4;
    /** Height of a title line and of a legend line. */
    public static final int LINE = 16;
    /** Size of the legend's colour bar. */
    public static final int LEGEND_WIDTH = 129;
    public static final int LEGEND_HEIGHT = 10;
    /** Tiles are magnified to about this many pixels on their longer side (at most 16x, at least 1x). */
    public static final int TARGET_SIDE = 84;

    private static final int BACKGROUND = 0xFFFFFF;
    private static final int MIN_WIDTH = 2 * MARGIN + LEGEND_WIDTH + 200;

    private final int columns;
    private final List<Row> rows = new ArrayList<>();

    /** Where a tile was drawn: its row and index in the row, top-left pixel and magnification. */
    public record Placement(int row, int index, int x, int y, int zoom, Tile tile) {
        /** The image pixel at the centre of the tile's value {@code (r, c)}. */
        public int pixelX(int c) {
            return x + c * zoom + zoom / 2;
        }

        public int pixelY(int r) {
            return y + r * zoom + zoom / 2;
        }
    }

    /** The rendered picture and where each tile is. */
    public record Picture(BufferedImage image, List<Placement> placements) {
        /** The placements of row {@code row}. */
        public List<Placement> row(int row) {
            return placements.stream().filter(p -> p.row() == row).toList();
        }
    }

    private record Row(String title, Legend legend, List<Tile> tiles, int zoom) {
    }

    /** A grid wrapping rows after {@code columns} tiles (1 to 1,024). */
    public ImageGrid(int columns) {
        if (columns < 1 || columns > 1024) {
            throw new IllegalArgumentException("columns must be 1 to 1024: " + columns);
        }
        this.columns = columns;
    }

    /** Adds a row magnified to about {@link #TARGET_SIDE} pixels per tile; {@code legend} null for none. */
    public ImageGrid row(String title, Legend legend, List<Tile> tiles) {
        int side = tiles.stream().mapToInt(t -> Math.max(t.height(), t.width())).max().orElse(1);
        return row(title, legend, tiles, Math.max(1, Math.min(16, TARGET_SIDE / side)));
    }

    /** Adds a row with tiles magnified {@code zoom} times (1 to 64). */
    public ImageGrid row(String title, Legend legend, List<Tile> tiles, int zoom) {
        if (zoom < 1 || zoom > 64) {
            throw new IllegalArgumentException("zoom must be 1 to 64: " + zoom);
        }
        rows.add(new Row(title == null ? null : Show.text(title, 120), legend, List.copyOf(tiles), zoom));
        return this;
    }

    /** Draws the rows; refuses a picture over {@link #MAX_PIXELS} before allocating it. */
    public Picture render() {
        long width = MIN_WIDTH;
        long height = MARGIN;
        for (Row r : rows) {
            width = Math.max(width, 2L * MARGIN + rowWidth(r));
            height += rowHeight(r);
        }
        height += MARGIN - GAP;
        if (width * height > MAX_PIXELS || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the picture would be " + width + " x " + height + " pixels, more than "
                    + MAX_PIXELS);
        }
        BufferedImage image = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setColor(new Color(BACKGROUND));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        List<Placement> placements = new ArrayList<>();
        int y = MARGIN;
        for (int ri = 0; ri < rows.size(); ri++) {
            Row r = rows.get(ri);
            if (r.title() != null) {
                g.setColor(Color.BLACK);
                g.drawString(r.title(), MARGIN, y + LINE - 4);
                y += LINE;
            }
            if (r.legend() != null) {
                drawLegend(image, g, r.legend(), MARGIN, y);
                y += LINE;
            }
            int cellW = maxWidth(r) * r.zoom() + GAP;
            int cellH = maxHeight(r) * r.zoom() + GAP;
            for (int i = 0; i < r.tiles().size(); i++) {
                int x = MARGIN + (i % columns) * cellW;
                int ty = y + (i / columns) * cellH;
                draw(image, r.tiles().get(i), x, ty, r.zoom());
                placements.add(new Placement(ri, i, x, ty, r.zoom(), r.tiles().get(i)));
            }
            y += lines(r) * cellH + GAP;
        }
        g.dispose();
        return new Picture(image, List.copyOf(placements));
    }

    /** The PNG encoding of {@code image} (ImageIO's writer: the same image gives the same bytes). */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("this JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code image} as PNG to {@code file} atomically (nothing is left behind on failure). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, png(image));
    }

    private static void drawLegend(BufferedImage image, Graphics2D g, Legend scale, int x, int y) {
        int half = LEGEND_WIDTH / 2;
        for (int i = 0; i < LEGEND_WIDTH; i++) {
            float v = scale.limit() * (i - half) / half;
            int rgb = scale.limit() == 0f ? 0 : scale.rgb(v);
            for (int j = 0; j < LEGEND_HEIGHT; j++) {
                image.setRGB(x + i, y + 2 + j, rgb);
            }
        }
        g.setColor(Color.BLACK);
        String limit = String.format(Locale.ROOT, "%.3g", scale.limit());
        g.drawString("-" + limit + " .. 0 .. +" + limit, x + LEGEND_WIDTH + 6, y + LINE - 4);
    }

    private static void draw(BufferedImage image, Tile t, int x, int y, int zoom) {
        for (int r = 0; r < t.height(); r++) {
            for (int c = 0; c < t.width(); c++) {
                int rgb = t.rgb()[r * t.width() + c];
                for (int dy = 0; dy < zoom; dy++) {
                    for (int dx = 0; dx < zoom; dx++) {
                        image.setRGB(x + c * zoom + dx, y + r * zoom + dy, rgb);
                    }
                }
            }
        }
    }

    private long rowWidth(Row r) {
        int n = Math.min(columns, r.tiles().size());
        return n == 0 ? 0 : (long) n * ((long) maxWidth(r) * r.zoom() + GAP) - GAP;
    }

    private long rowHeight(Row r) {
        return (r.title() == null ? 0 : LINE) + (r.legend() == null ? 0 : LINE)
                + (long) lines(r) * ((long) maxHeight(r) * r.zoom() + GAP) + GAP;
    }

    private int lines(Row r) {
        return (r.tiles().size() + columns - 1) / columns;
    }

    private static int maxWidth(Row r) {
        return r.tiles().stream().mapToInt(Tile::width).max().orElse(0);
    }

    private static int maxHeight(Row r) {
        return r.tiles().stream().mapToInt(Tile::height).max().orElse(0);
    }
}
