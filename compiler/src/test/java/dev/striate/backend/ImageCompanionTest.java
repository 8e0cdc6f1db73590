package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.data.ColorMode;
import dev.striate.data.ImageFile;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated image companion converts images exactly as the runtime's {@link ImageFile} (the
 * path training reads images by): bit for bit on gray 8/16-bit, gray+alpha, ARGB, palette and
 * RGB JPEG images of several sizes, for gray and RGB models; it compiles under
 * {@code --release 11} and refuses oversized images.
 */
class ImageCompanionTest {
    @TempDir
    static Path dir;
    static List<Path> images = new ArrayList<>();
    static CompiledModel gray;
    static CompiledModel rgb;

    @BeforeAll
    static void setUp() throws IOException {
        Random r = new Random(11);
        images.add(write(fill(new BufferedImage(20, 13, BufferedImage.TYPE_BYTE_GRAY), r), "png", "gray8.png"));
        images.add(write(fill(new BufferedImage(9, 31, BufferedImage.TYPE_USHORT_GRAY), r), "png", "gray16.png"));
        images.add(write(fill(new BufferedImage(37, 50, BufferedImage.TYPE_INT_ARGB), r), "png", "argb.png"));
        images.add(write(fill(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), r), "jpg", "photo.jpg"));
        images.add(write(fill(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), r), "png", "exact.png"));
        ComponentColorModel grayAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        images.add(write(fill(new BufferedImage(grayAlpha, grayAlpha.createCompatibleWritableRaster(15, 11), false, null),
                r), "png", "grayalpha.png"));
        byte[] ramp = new byte[16];
        byte[] alpha = new byte[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = (byte) (i * 17);
            alpha[i] = (byte) (i < 4 ? 0 : 255);
        }
        images.add(write(fill(new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(4, 16, ramp, ramp, ramp, alpha)), r), "png", "palette.png"));
        gray = CompiledModel.compile(List.of(ImageCompanion.generate("", "Digits", Shape.chw(1, 28, 28))));
        rgb = CompiledModel.compile(List.of(ImageCompanion.generate("com.acme", "Photos", Shape.chw(3, 8, 8))));
    }

    private static BufferedImage fill(BufferedImage img, Random r) {
        for (int b = 0; b < img.getRaster().getNumBands(); b++) {
            int max = img.getColorModel() instanceof IndexColorModel icm ? icm.getMapSize() - 1
                    : (1 << img.getColorModel().getComponentSize(b)) - 1;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.getRaster().setSample(x, y, b, r.nextInt(max + 1));
                }
            }
        }
        return img;
    }

    private static Path write(BufferedImage img, String format, String name) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, f.toFile()), name);
        return f;
    }

    private static float[] fromImage(CompiledModel companion, BufferedImage img) {
        return (float[]) companion.invoke(null, "fromImage", new Class<?>[] {BufferedImage.class}, img);
    }

    @Test
    void convertsEveryImageAsTrainingReadsIt() throws IOException {
        for (Path f : images) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertArrayEquals(ImageFile.read(f, ColorMode.GRAY, 28, 28), fromImage(gray, img), f.toString());
            assertArrayEquals(ImageFile.read(f, ColorMode.RGB, 8, 8), fromImage(rgb, img), f.toString());
            try (InputStream in = Files.newInputStream(f)) {
                assertArrayEquals(ImageFile.read(f, ColorMode.GRAY, 28, 28),
                        (float[]) gray.invoke(null, "fromPng", new Class<?>[] {InputStream.class}, in), f.toString());
            }
        }
    }

    @Test
    void compilesWithoutWarningsAndNeedsNoDependency() {
        assertEquals(List.of(), gray.warnings());
        assertEquals(List.of(), rgb.warnings());
        assertEquals(784, gray.constant("CHANNELS") * gray.constant("HEIGHT") * gray.constant("WIDTH"));
        assertEquals("com.acme.PhotosImages", rgb.type().getName());
    }

    @Test
    void oversizedAndUnreadableImagesAreRefused() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> fromImage(gray, new BufferedImage(5000, 4000, BufferedImage.TYPE_BYTE_BINARY)));
        assertEquals("5000 x 4000 pixels is more than the 16777216 pixels converted", big.getMessage());
        RuntimeException notImage = assertThrows(RuntimeException.class, () -> gray.invoke(null, "fromPng",
                new Class<?>[] {InputStream.class}, new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))));
        assertTrue(notImage.getMessage().contains("not an image javax.imageio can decode"), notImage.getMessage());
    }

    @Test
    void onlyImageInputsHaveACompanion() {
        assertTrue(ImageCompanion.supports(Shape.chw(3, 32, 32)));
        assertFalse(ImageCompanion.supports(Shape.chw(2, 32, 32)));
        assertFalse(ImageCompanion.supports(Shape.of(784)));
    }
}
