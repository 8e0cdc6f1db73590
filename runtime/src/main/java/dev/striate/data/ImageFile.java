package dev.striate.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one image file into pixel values {@code 0..255}, channel-major, the one way training,
 * evaluation and {@code striate predict} all read images:
 * <ol>
 *   <li>Decoder: {@code javax.imageio}, the first reader that accepts the file (PNG and JPEG are
 *       built in; with TwelveMonkeys' {@code imageio-jpeg} on the class path, as in the command
 *       line, CMYK and YCCK JPEGs too). Only the first frame is read. The size is taken from the
 *       header first: an image over {@value #MAX_PIXELS} pixels is refused before anything is
 *       decoded.</li>
 *   <li>Values: a gray image's samples are read from its raster (no color management), scaled to
 *       {@code 0..255} ({@code 16-bit: v * 255 / 65535}); any other image is converted to sRGB by
 *       its color model ({@link BufferedImage#getRGB}).</li>
 *   <li>Alpha: composited over white, {@code v * a + 255 * (1 - a)}, as an image viewer shows it, so
 *       that black ink on a transparent background stays black ink on white.</li>
 *   <li>Channels: {@link ColorMode#GRAY} takes a gray image as is and an RGB one as
 *       {@code 0.299 R + 0.587 G + 0.114 B}; {@link ColorMode#RGB} repeats gray in three planes.</li>
 *   <li>Size: {@link ImageOps#resize} (bilinear, half-pixel centers, no antialiasing: PyTorch's
 *       {@code F.interpolate(mode="bilinear", align_corners=False)}) when it differs from the
 *       target; the aspect ratio is not kept.</li>
 * </ol>
 * All arithmetic is float, in a fixed order, so the same file gives the same values everywhere.
 */
public final class ImageFile {
    /** The largest image decoded, in pixels: 4096 x 4096 (64 MiB decoded, 192 MiB as RGB floats). */
    public static final long MAX_PIXELS = 4096L * 4096L;

    private ImageFile() {
    }

    /** Reads {@code file} converted to {@code mode} and resized to {@code height x width}. */
    public static float[] read(Path file, ColorMode mode, int height, int width) throws DataException {
        new ImageShape(mode.channels(), height, width);
        return convert(decode(file), mode, height, width);
    }

    /**
     * Reads an image held in memory (the content of a file, such as a row of Spark's
     * {@code binaryFile} source), as {@link #read(Path, ColorMode, int, int)} reads a file;
     * {@code name} names it in error messages.
     */
    public static float[] read(byte[] content, String name, ColorMode mode, int height, int width)
            throws DataException {
        new ImageShape(mode.channels(), height, width);
        if (content == null) {
            throw new DataException(name + ": no image content");
        }
        try {
            return convert(decode(ImageIO.createImageInputStream(new ByteArrayInputStream(content)), name), mode,
                    height, width);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(name + ": cannot read the image (" + e.getMessage() + ")", e);
        }
    }

    private static float[] convert(BufferedImage img, ColorMode mode, int height, int width) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] full = pixels(img, mode);
        if (h == height && w == width) {
            return full;
        }
        float[] out = new float[mode.channels() * height * width];
        ImageOps.resize(full, mode.channels(), h, w, out, height, width);
        return out;
    }

    /** Decodes the first image of {@code file}, refusing one over {@link #MAX_PIXELS} before decoding it. */
    static BufferedImage decode(Path file) throws DataException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": not a regular file");
        }
        try {
            return decode(ImageIO.createImageInputStream(file.toFile()), file.toString());
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the image (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes the first image of {@code stream} (closed here), named {@code file} in messages. */
    private static BufferedImage decode(ImageInputStream stream, String file) throws DataException {
        try (ImageInputStream in = stream) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(file + ": not a PNG or JPEG image that javax.imageio can decode");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1) {
                    throw new DataException(file + ": the image has no pixels (" + w + " x " + h + ")");
                }
                if (w * h > MAX_PIXELS) {
                    throw new DataException(file + ": " + w + " x " + h + " pixels is more than the " + MAX_PIXELS
                            + " pixels (4096 x 4096) Striate decodes; scale the image down first");
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new DataException(file + ": the decoder returned no image");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataException(file + ": cannot read the image (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw new DataException(file + ": not enough memory to decode the image; scale it down first", e);
        }
    }

    /** The image's pixel values {@code 0..255}, alpha composited over white, converted to {@code mode}. */
    static float[] pixels(BufferedImage img, ColorMode mode) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[mode.channels() * plane];
        ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            Raster raster = img.getRaster();
            float scale = 255f / ((1L << cm.getComponentSize(0)) - 1);
            boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
            float alphaScale = alpha ? 1f / ((1L << cm.getComponentSize(1)) - 1) : 0f;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) * scale;
                    if (alpha) {
                        float a = raster.getSample(x, y, 1) * alphaScale;
                        v = v * a + 255f * (1 - a);
                    }
                    for (int c = 0; c < mode.channels(); c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                float a = (argb >>> 24) / 255f;
                float r = over(((argb >> 16) & 0xFF), a);
                float g = over(((argb >> 8) & 0xFF), a);
                float b = over((argb & 0xFF), a);
                if (mode == ColorMode.GRAY) {
                    out[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                } else {
                    out[y * w + x] = r;
                    out[plane + y * w + x] = g;
                    out[2 * plane + y * w + x] = b;
                }
            }
        }
        return out;
    }

    /** {@code v} with alpha {@code a} over white; exactly {@code v} when opaque. */
    private static float over(int v, float a) {
        return a == 1f ? v : v * a + 255f * (1 - a);
    }
}
