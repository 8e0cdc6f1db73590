package dev.striate.data;

/**
 * Geometric operations on one {@code C*H*W} float image: bilinear resize, shift with zero fill,
 * horizontal flip and rotation with bilinear sampling. Each writes into {@code dst} (never the
 * same array as {@code src}) and is deterministic: plain float arithmetic, no Java2D.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Bilinear resize with half-pixel centers, as PyTorch's
     * {@code F.interpolate(mode="bilinear", align_corners=False)} without antialiasing:
     * source coordinate {@code (d + 0.5) * in / out - 0.5}, clamped to the image.
     */
    public static void resize(float[] src, int channels, int height, int width,
            float[] dst, int outHeight, int outWidth) {
        double sy = (double) height / outHeight;
        double sx = (double) width / outWidth;
        for (int c = 0; c < channels; c++) {
            int sBase = c * height * width;
            int dBase = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                double fy = Math.max(0, (y + 0.5) * sy - 0.5);
                int y0 = Math.min((int) fy, height - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                float wy = (float) (fy - y0);
                for (int x = 0; x < outWidth; x++) {
                    double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                    int x0 = Math.min((int) fx, width - 1);
                    int x1 = Math.min(x0 + 1, width - 1);
                    float wx = (float) (fx - x0);
                    float top = src[sBase + y0 * width + x0] * (1 - wx) + src[sBase + y0 * width + x1] * wx;
                    float bottom = src[sBase + y1 * width + x0] * (1 - wx) + src[sBase + y1 * width + x1] * wx;
                    dst[dBase + y * outWidth + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }

    /**
     * Moves the image by {@code dx} pixels right and {@code dy} down; uncovered pixels are zero.
     * Equals a crop of the original size from the image padded with zeros.
     */
    public static void shift(float[] src, int srcOff, ImageShape shape, int dx, int dy, float[] dst, int dstOff) {
        int h = shape.height();
        int w = shape.width();
        for (int c = 0; c < shape.channels(); c++) {
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int x = 0; x < w; x++) {
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    dst[dstOff + plane + y * w + x] = inside ? src[srcOff + plane + sy * w + sx] : 0f;
                }
            }
        }
    }

    /** Mirrors the image left to right. */
    public static void flipHorizontal(float[] src, int srcOff, ImageShape shape, float[] dst, int dstOff) {
        int w = shape.width();
        int rows = shape.channels() * shape.height();
        for (int r = 0; r < rows; r++) {
            int row = r * w;
            for (int x = 0; x < w; x++) {
                dst[dstOff + row + x] = src[srcOff + row + w - 1 - x];
            }
        }
    }

    /**
     * Rotates the image by {@code degrees} counter-clockwise (as seen on screen, y pointing down)
     * about its center {@code ((W-1)/2, (H-1)/2)}; each output pixel samples the source bilinearly,
     * and source pixels outside the image count as zero.
     */
    public static void rotate(float[] src, int srcOff, ImageShape shape, double degrees, float[] dst, int dstOff) {
        int h = shape.height();
        int w = shape.width();
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // inverse map: rotate the output position back by -degrees (screen y points down)
                double u = x - cx;
                double v = y - cy;
                double fx = cos * u - sin * v + cx;
                double fy = sin * u + cos * v + cy;
                int x0 = (int) Math.floor(fx);
                int y0 = (int) Math.floor(fy);
                float wx = (float) (fx - x0);
                float wy = (float) (fy - y0);
                for (int c = 0; c < shape.channels(); c++) {
                    int base = srcOff + c * h * w;
                    float v00 = at(src, base, w, h, x0, y0);
                    float v01 = at(src, base, w, h, x0 + 1, y0);
                    float v10 = at(src, base, w, h, x0, y0 + 1);
                    float v11 = at(src, base, w, h, x0 + 1, y0 + 1);
                    float top = v00 * (1 - wx) + v01 * wx;
                    float bottom = v10 * (1 - wx) + v11 * wx;
                    dst[dstOff + c * h * w + y * w + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
    }

    private static float at(float[] src, int base, int w, int h, int x, int y) {
        return x >= 0 && x < w && y >= 0 && y < h ? src[base + y * w + x] : 0f;
    }
}
