package dev.striate.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ColorScale}, {@link Tile}, {@link ImageGrid} and {@link Pictures}, read back pixel by pixel. */
class ImageGridTest {
    @TempDir
    Path dir;

    @Test
    void theScaleIsSymmetricBlackAtZeroAndClipped() {
        ColorScale s = new ColorScale(2f);
        assertEquals(0, s.rgb(0f));
        assertEquals(ColorScale.POSITIVE, s.rgb(2f));
        assertEquals(ColorScale.NEGATIVE, s.rgb(-2f));
        assertEquals(ColorScale.POSITIVE, s.rgb(50f), "clipped at the limit");
        int half = s.rgb(1f);
        assertEquals(Math.round(0xFF * 0.5), half >> 16 & 0xFF);
        assertEquals(Math.round(0xFF * 0.5), s.rgb(-1f) & 0xFF, "the same brightness for -v and v");
        assertEquals(0, new ColorScale(0f).rgb(3f));
        assertEquals(2f, ColorScale.spanning(new float[] {1f, -2f, Float.POSITIVE_INFINITY}).limit());
        assertThrows(IllegalArgumentException.class, () -> new ColorScale(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ColorScale(-1f));
    }

    @Test
    void tilesAreDrawnMagnifiedWhereThePlacementsSay() {
        float[] v = {1f, -1f, 0f, 0.5f};
        ColorScale s = ColorScale.spanning(v);
        ImageGrid.Picture p = new ImageGrid(4).row("a [2, 2]", s, List.of(Tile.of(v, 0, 2, 2, s), Tile.of(v, 0, 1, 2, s)), 5)
                .row(null, null, List.of(Tile.gray(new float[] {0f, 255f}, 0, 1, 2, 0f, 255f)), 3).render();
        ImageGrid.Placement first = p.row(0).get(0);
        assertEquals(ImageGrid.MARGIN, first.x());
        assertEquals(ImageGrid.MARGIN + 2 * ImageGrid.LINE, first.y(), "below the title and the legend");
        BufferedImage img = p.image();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                int want = s.rgb(v[r * 2 + c]);
                for (int dy = 0; dy < 5; dy++) {
                    for (int dx = 0; dx < 5; dx++) {
                        assertEquals(want, img.getRGB(first.x() + c * 5 + dx, first.y() + r * 5 + dy) & 0xFFFFFF);
                    }
                }
            }
        }
        ImageGrid.Placement second = p.row(0).get(1);
        assertEquals(first.x() + 2 * 5 + ImageGrid.GAP, second.x());
        ImageGrid.Placement gray = p.row(1).get(0);
        assertEquals(0, img.getRGB(gray.pixelX(0), gray.pixelY(0)) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(gray.pixelX(1), gray.pixelY(0)) & 0xFFFFFF);
        assertEquals(first.y() + 2 * 5 + ImageGrid.GAP + ImageGrid.GAP, gray.y(), "the next row, without a title");
    }

    @Test
    void rowsWrapAfterTheColumns() {
        float[] v = new float[9];
        ColorScale s = new ColorScale(1f);
        List<Tile> tiles = List.of(Tile.of(v, 0, 3, 3, s), Tile.of(v, 0, 3, 3, s), Tile.of(v, 0, 3, 3, s));
        ImageGrid.Picture p = new ImageGrid(2).row("t", null, tiles, 2).render();
        assertEquals(p.placements().get(0).x(), p.placements().get(2).x());
        assertEquals(p.placements().get(0).y() + 6 + ImageGrid.GAP, p.placements().get(2).y());
    }

    @Test
    void theLegendRunsFromNegativeThroughBlackToPositive() {
        ColorScale s = new ColorScale(3f);
        BufferedImage img = new ImageGrid(1).row("t", s, List.of(Tile.of(new float[1], 0, 1, 1, s))).render().image();
        int y = ImageGrid.MARGIN + ImageGrid.LINE + 2 + ImageGrid.LEGEND_HEIGHT / 2;
        assertEquals(ColorScale.NEGATIVE, img.getRGB(ImageGrid.MARGIN, y) & 0xFFFFFF);
        assertEquals(0, img.getRGB(ImageGrid.MARGIN + ImageGrid.LEGEND_WIDTH / 2, y) & 0xFFFFFF);
        assertEquals(ColorScale.POSITIVE, img.getRGB(ImageGrid.MARGIN + ImageGrid.LEGEND_WIDTH - 1, y) & 0xFFFFFF);
    }

    @Test
    void pngsAreByteIdenticalForTheSameRowsAndDecodeToTheImage() throws IOException {
        float[] v = {3f, -1f, 0f, 2f, 1f, -3f};
        ColorScale s = ColorScale.spanning(v);
        byte[] a = ImageGrid.png(Pictures.filters("c", v, 2, 1, 1, 3, -1).render().image());
        byte[] b = ImageGrid.png(Pictures.filters("c", v.clone(), 2, 1, 1, 3, -1).render().image());
        assertArrayEquals(a, b);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(a));
        ImageGrid.Picture p = Pictures.filters("c", v, 2, 1, 1, 3, -1).render();
        ImageGrid.Placement t = p.row(0).get(1);
        assertEquals(s.rgb(-3f), back.getRGB(t.pixelX(2), t.pixelY(0)) & 0xFFFFFF);
        Path file = dir.resolve("x.png");
        ImageGrid.writePng(back, file);
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void filtersOfManyInputsAreALinePerOutputAndColourForThreeInputs() {
        float[] w = new float[2 * 3 * 1 * 1];
        w[0] = 1f; // output 0: red +1, green 0, blue 0
        w[5] = -1f; // output 1: blue -1
        ImageGrid.Picture rgb = Pictures.filters("c", w, 2, 3, 1, 1, -1).render();
        assertEquals(2, rgb.placements().size());
        assertEquals(0xFF8080, rgb.image().getRGB(rgb.placements().get(0).pixelX(0), rgb.placements().get(0).pixelY(0))
                & 0xFFFFFF, "red at +limit, green and blue mid gray");
        assertEquals(0x808000, rgb.image().getRGB(rgb.placements().get(1).pixelX(0), rgb.placements().get(1).pixelY(0))
                & 0xFFFFFF);
        ImageGrid.Picture one = Pictures.filters("c", w, 2, 3, 1, 1, 1).render();
        assertEquals(3, one.placements().size(), "output 1's line: a tile per input channel");
        assertEquals(ColorScale.NEGATIVE, one.image().getRGB(one.placements().get(2).pixelX(0),
                one.placements().get(2).pixelY(0)) & 0xFFFFFF);
        ImageGrid.Picture pairs = Pictures.filters("c", new float[4 * 5], 4, 5, 1, 1, -1).render();
        assertEquals(20, pairs.placements().size());
        assertEquals(pairs.placements().get(0).x(), pairs.placements().get(5).x(), "a line per output");
        assertThrows(IllegalArgumentException.class, () -> Pictures.filters("c", new float[3], 2, 1, 1, 1, -1));
    }

    @Test
    void imageRowsPutOneImagePerColumnAndClipToTheRange() {
        // two gray 1x3 images per row: values below 0 black, above 1 white, NaN black
        float[] a = {-0.5f, 0.5f, 1.5f, 0f, 0.25f, Float.NaN};
        float[] b = {1f, 1f, 1f, 0f, 0f, 0f};
        ImageGrid.Picture p = Pictures.imageRows(new int[] {1, 1, 3}, 2, 0f, 1f, List.of("in", "out"),
                List.of(a, b)).render();
        assertEquals(2, p.row(0).size());
        assertEquals(p.row(0).get(1).x(), p.row(1).get(1).x(), "a column per image");
        int[] expected = {0, 128, 255, 0, 64, 0};
        for (int i = 0; i < 6; i++) {
            ImageGrid.Placement t = p.row(0).get(i / 3);
            int rgb = p.image().getRGB(t.pixelX(i % 3), t.pixelY(0)) & 0xFFFFFF;
            assertEquals(expected[i] * 0x010101, rgb, "value " + i);
        }
        ImageGrid.Placement white = p.row(1).get(0);
        assertEquals(0xFFFFFF, p.image().getRGB(white.pixelX(2), white.pixelY(0)) & 0xFFFFFF);
        // colour: three planes per image
        float[] rgb = {1f, 0f, 0.5f};
        ImageGrid.Picture c = Pictures.imageRows(new int[] {3, 1, 1}, 1, 0f, 1f, List.of("c"), List.of(rgb)).render();
        ImageGrid.Placement t = c.row(0).get(0);
        assertEquals(0xFF0080, c.image().getRGB(t.pixelX(0), t.pixelY(0)) & 0xFFFFFF);
        assertThrows(IllegalArgumentException.class, () -> Pictures.imageRows(new int[] {1, 1, 3}, 3, 0f, 1f,
                List.of("in"), List.of(a)));
        assertThrows(IllegalArgumentException.class, () -> Pictures.imageRows(new int[] {2, 1, 3}, 1, 0f, 1f,
                List.of("in"), List.of(a)));
    }

    @Test
    void tooLargePicturesAreRefusedBeforeAllocating() {
        Tile big = new Tile(4096, 4096, new int[4096 * 4096]);
        ImageGrid grid = new ImageGrid(8).row("t", null, List.of(big, big, big, big, big), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, grid::render);
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tile(0, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new Tile(2, 2, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> Pictures.filters("c", new float[129 * 128], 129, 128, 1, 1, -1));
    }

    @Test
    void titlesAreShownAsPrintableText() {
        // a control character in a title must not reach the drawing as such (Show.text escapes it)
        ImageGrid.Picture p = new ImageGrid(1).row("a\u0007b", null, List.of(Tile.gray(new float[1], 0, 1, 1, 0, 1))).render();
        assertFalse(p.placements().isEmpty());
    }
}
