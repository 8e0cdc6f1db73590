package dev.striate.report;

import dev.striate.data.ImageShape;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;

/**
 * A data-set image ({@code C x H x W} floats, {@code 0..255}) as a picture to look at: RGB for three
 * channels, gray from the first channel otherwise, scaled by nearest neighbour to fit a
 * {@link #SIZE}-pixel square (enlarged by a whole factor, so each pixel stays a sharp square).
 */
public final class Thumbnails {
    /** The largest side of a thumbnail. */
    public static final int SIZE = 96;

    private Thumbnails() {
    }

    /** The thumbnail of {@code pixels}, shaped {@code shape}. */
    public static BufferedImage of(float[] pixels, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int r = level(pixels[i]);
                boolean rgb = shape.channels() == 3;
                int g = rgb ? level(pixels[plane + i]) : r;
                int b = rgb ? level(pixels[2 * plane + i]) : r;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        int side = Math.max(h, w);
        double scale = side <= SIZE ? Math.max(1, SIZE / side) : (double) SIZE / side;
        int tw = Math.max(1, (int) Math.floor(w * scale));
        int th = Math.max(1, (int) Math.floor(h * scale));
        AffineTransformOp op = new AffineTransformOp(AffineTransform.getScaleInstance((double) tw / w, (double) th / h),
                AffineTransformOp.TYPE_NEAREST_NEIGHBOR);
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        op.filter(image, out);
        return out;
    }

    private static int level(float v) {
        return Float.isNaN(v) ? 0 : Math.max(0, Math.min(255, Math.round(v)));
    }
}
