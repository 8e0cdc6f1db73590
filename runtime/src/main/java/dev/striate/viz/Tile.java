package dev.striate.viz;

/**
 * One small picture of an {@link ImageGrid}: {@code height x width} colours (0xRRGGBB, row-major),
 * drawn magnified by whole pixels. Made from a plane of values through a {@link ColorScale}, from
 * gray pixels, or from three colour planes.
 *
 * @param height rows
 * @param width  columns
 * @param rgb    {@code height * width} colours, row-major
 */
public record Tile(int height, int width, int[] rgb) {
    /** The largest side of a tile, in values. */
    public static final int MAX_SIDE = 4096;

    public Tile {
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("a tile of " + height + " x " + width + " values; each side is 1 to "
                    + MAX_SIDE);
        }
        if (rgb.length != height * width) {
            throw new IllegalArgumentException(rgb.length + " colours for a tile of " + height + " x " + width);
        }
    }

    /** The plane {@code values[offset .. offset + height * width)} through {@code scale}. */
    public static Tile of(float[] values, int offset, int height, int width, ColorScale scale) {
        int[] rgb = new int[checkedSize(height, width)];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = scale.rgb(values[offset + i]);
        }
        return new Tile(height, width, rgb);
    }

    /**
     * Gray pixels from {@code values[offset ..]}: {@code lo} black, {@code hi} white, clipped (NaN
     * black). With {@code lo == hi} everything is black.
     */
    public static Tile gray(float[] values, int offset, int height, int width, float lo, float hi) {
        int[] rgb = new int[checkedSize(height, width)];
        for (int i = 0; i < rgb.length; i++) {
            int v = level(values[offset + i], lo, hi);
            rgb[i] = v << 16 | v << 8 | v;
        }
        return new Tile(height, width, rgb);
    }

    /**
     * Colour pixels from three planes (red, green, blue) of {@code values[offset ..]}, channel-major,
     * each mapped as {@link #gray} maps one.
     */
    public static Tile color(float[] values, int offset, int height, int width, float lo, float hi) {
        int plane = checkedSize(height, width);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = level(values[offset + i], lo, hi) << 16 | level(values[offset + plane + i], lo, hi) << 8
                    | level(values[offset + 2 * plane + i], lo, hi);
        }
        return new Tile(height, width, rgb);
    }

    /** The rectangle of this tile at rows {@code [top, top + h)} and columns {@code [left, left + w)}. */
    public Tile crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > height || left + w > width) {
            throw new IllegalArgumentException("crop " + h + " x " + w + " at (" + top + ", " + left + ") of a tile of "
                    + height + " x " + width);
        }
        int[] out = new int[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(rgb, (top + y) * width + left, out, y * w, w);
        }
        return new Tile(h, w, out);
    }

    /** {@code v} from {@code lo} (0) to {@code hi} (255), clipped; 0 for NaN or an empty range. */
    static int level(float v, float lo, float hi) {
        if (!(hi > lo) || Float.isNaN(v)) {
            return 0;
        }
        double t = ((double) v - lo) / ((double) hi - lo);
        return (int) Math.round(255 * Math.max(0.0, Math.min(1.0, t)));
    }

    private static int checkedSize(int height, int width) {
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("a tile of " + height + " x " + width + " values; each side is 1 to "
                    + MAX_SIDE);
        }
        return height * width;
    }
}
