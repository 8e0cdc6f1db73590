package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    @Test
    void classesAreSortedFolderNamesAndFilesAreSortedWithin() throws IOException {
        gray(root.resolve("zebra/b.png"), 2, 2, 10, 20, 30, 40);
        gray(root.resolve("zebra/a.PNG"), 2, 2, 1, 2, 3, 4);
        gray(root.resolve("ant/x.png"), 2, 2, 100, 101, 102, 103);
        Files.writeString(root.resolve("ant/notes.txt"), "ignored");
        gray(root.resolve("ant/.hidden.png"), 2, 2, 0, 0, 0, 0);
        Files.writeString(root.resolve("README"), "ignored");
        FloatImageDataset ds = ImageFolder.load(root, ColorMode.GRAY, 2, 2);
        assertEquals(List.of("ant", "zebra"), ds.classNames());
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {0, 1, 1}, new int[] {ds.label(0), ds.label(1), ds.label(2)});
        assertArrayEquals(new float[] {100, 101, 102, 103}, ds.image(0));
        assertArrayEquals(new float[] {1, 2, 3, 4}, ds.image(1));
        assertArrayEquals(new float[] {10, 20, 30, 40}, ds.image(2));
    }

    @Test
    void grayPixelsAreTakenFromTheRasterWithoutColorConversion() throws IOException {
        gray(root.resolve("c/g.png"), 1, 3, 0, 128, 255);
        assertArrayEquals(new float[] {0, 128, 255}, ImageFolder.load(root, ColorMode.GRAY, 1, 3).image(0));
        assertArrayEquals(new float[] {0, 128, 255, 0, 128, 255, 0, 128, 255},
                ImageFolder.load(root, ColorMode.RGB, 1, 3).image(0));
    }

    @Test
    void rgbImagesAreSplitIntoChannelsOrConvertedToLuma() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x0A141E);
        write(img, "png", root.resolve("c/rgb.png"));
        assertArrayEquals(new float[] {255, 10, 0, 20, 0, 30}, ImageFolder.load(root, ColorMode.RGB, 1, 2).image(0));
        float[] g = ImageFolder.load(root, ColorMode.GRAY, 1, 2).image(0);
        assertEquals(0.299f * 255, g[0], 1e-4);
        assertEquals(0.299f * 10 + 0.587f * 20 + 0.114f * 30, g[1], 1e-4);
    }

    @Test
    void jpegIsReadAndEverythingIsResized() throws IOException {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        write(img, "jpg", root.resolve("c/photo.jpeg"));
        gray(root.resolve("d/small.png"), 2, 2, 50, 50, 50, 50);
        FloatImageDataset ds = ImageFolder.load(root, ColorMode.GRAY, 4, 4);
        assertEquals(new ImageShape(1, 4, 4), ds.shape());
        for (float v : ds.image(0)) {
            assertEquals(128, v, 3, "a flat gray JPEG stays about 128");
        }
        for (float v : ds.image(1)) {
            assertEquals(50, v, 1e-4);
        }
    }

    @Test
    void everyProblemIsReportedTogether() throws IOException {
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("bad"));
        Files.write(root.resolve("bad/broken.png"), new byte[] {1, 2, 3, 4});
        Files.writeString(root.resolve("bad/text.jpg"), "not a jpeg");
        DataException e = assertThrows(DataException.class, () -> ImageFolder.load(root, ColorMode.GRAY, 2, 2));
        String m = e.getMessage();
        assertTrue(m.startsWith("3 problems in " + root + ":"), m);
        assertTrue(m.contains(root.resolve("bad/broken.png") + ": not a PNG or JPEG image that javax.imageio can decode"), m);
        assertTrue(m.contains(root.resolve("bad/text.jpg") + ": "), m);
        assertTrue(m.contains(root.resolve("empty") + ": class folder has no .png, .jpg or .jpeg files"), m);
    }

    @Test
    void aRootWithoutClassFoldersIsAnError() throws IOException {
        Files.writeString(root.resolve("a.png"), "x");
        assertEquals(root + ": no class folders (an image folder has one subfolder per class)",
                assertThrows(DataException.class, () -> ImageFolder.load(root, ColorMode.RGB, 2, 2)).getMessage());
        Path missing = root.resolve("missing");
        assertEquals(missing + ": not a folder (an image folder has one subfolder per class)",
                assertThrows(DataException.class, () -> ImageFolder.load(missing, ColorMode.RGB, 2, 2)).getMessage());
    }

    private static void gray(Path file, int h, int w, int... values) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, values[y * w + x]);
            }
        }
        write(img, "png", file);
    }

    private static void write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no writer for " + format);
    }
}
