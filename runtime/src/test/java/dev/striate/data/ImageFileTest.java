package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned image path: alpha over white (a transparent PNG does not turn black), 16-bit gray
 * scaled, palette images through their color model, an oversized header refused before decoding,
 * files that are not images refused with the file's name.
 */
class ImageFileTest {
    @TempDir
    Path dir;

    private Path png(BufferedImage img, String name) throws IOException {
        Path f = dir.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    @Test
    void transparentBackgroundIsWhiteAndInkStaysBlack() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00000000); // fully transparent "black"
        img.setRGB(1, 0, 0xFF000000); // opaque black ink
        Path f = png(img, "ink.png");
        assertArrayEquals(new float[] {255, 0}, ImageFile.read(f, ColorMode.GRAY, 1, 2));
        assertArrayEquals(new float[] {255, 0, 255, 0, 255, 0}, ImageFile.read(f, ColorMode.RGB, 1, 2));
    }

    @Test
    void halfTransparentRedIsBlendedWithWhite() throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x66FF0000); // alpha 102/255 = 0.4
        float a = 102 / 255f;
        float r = 255 * a + 255f * (1 - a);
        float gb = 0 * a + 255f * (1 - a);
        assertArrayEquals(new float[] {r, gb, gb}, ImageFile.read(png(img, "red.png"), ColorMode.RGB, 1, 1));
        assertArrayEquals(new float[] {0.299f * r + 0.587f * gb + 0.114f * gb},
                ImageFile.read(png(img, "red2.png"), ColorMode.GRAY, 1, 1));
    }

    @Test
    void sixteenBitGrayIsScaledTo255() throws IOException {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 257);
        img.getRaster().setSample(2, 0, 0, 0);
        assertArrayEquals(new float[] {255, 1, 0}, ImageFile.read(png(img, "g16.png"), ColorMode.GRAY, 1, 3), 1e-4f);
    }

    @Test
    void paletteWithATransparentEntryGoesThroughItsColorModel() throws IOException {
        byte[] r = {0, (byte) 255};
        byte[] g = {0, 0};
        byte[] b = {0, 0};
        byte[] alpha = {0, (byte) 255};
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, r, g, b, alpha));
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 1);
        assertArrayEquals(new float[] {255, 255, 255, 0, 255, 0}, ImageFile.read(png(img, "pal.png"), ColorMode.RGB, 1, 2));
    }

    @Test
    void anOversizedHeaderIsRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("bomb.png");
        Files.write(f, pngHeaderOnly(100_000, 100_000));
        DataException e = assertThrows(DataException.class, () -> ImageFile.read(f, ColorMode.GRAY, 28, 28));
        assertEquals(f + ": 100000 x 100000 pixels is more than the 16777216 pixels (4096 x 4096) Striate decodes;"
                + " scale the image down first", e.getMessage());
    }

    @Test
    void filesThatAreNotImagesAreRefusedByName() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "hello");
        assertEquals(text + ": not a PNG or JPEG image that javax.imageio can decode",
                assertThrows(DataException.class, () -> ImageFile.read(text, ColorMode.GRAY, 2, 2)).getMessage());
        assertEquals(dir + ": not a regular file",
                assertThrows(DataException.class, () -> ImageFile.read(dir, ColorMode.GRAY, 2, 2)).getMessage());
        Path truncated = dir.resolve("cut.png");
        Files.write(truncated, pngHeaderOnly(4, 4));
        assertThrows(DataException.class, () -> ImageFile.read(truncated, ColorMode.GRAY, 2, 2));
    }

    /** A PNG signature, an IHDR chunk for an 8-bit gray image of {@code w x h}, and IEND: no pixel data. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
