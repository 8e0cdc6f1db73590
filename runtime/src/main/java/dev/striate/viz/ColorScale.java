package dev.striate.viz;

/**
 * A symmetric colour scale around zero: 0 is black, positive values grow to orange and negative
 * ones to blue, the brightness proportional to {@code |v| / limit} (clipped at the limit). So a
 * picture is bright exactly where values are large, and the hue tells the sign. A limit of 0 (all
 * values zero) draws everything black.
 *
 * @param limit the magnitude drawn at full brightness (not negative, finite)
 */
public record ColorScale(float limit) implements Legend {
    /** Full-brightness colour of positive values (0xRRGGBB). */
    public static final int POSITIVE = 0xFFA028;
    /** Full-brightness colour of negative values. */
    public static final int NEGATIVE = 0x2896FF;

    public ColorScale {
        if (!(limit >= 0f) || Float.isInfinite(limit)) {
            throw new IllegalArgumentException("a colour scale's limit must be finite and not negative: " + limit);
        }
    }

    /** The scale whose limit is the largest finite magnitude of {@code values[from .. to)}. */
    public static ColorScale spanning(float[] values, int from, int to) {
        float max = 0f;
        for (int i = from; i < to; i++) {
            float a = Math.abs(values[i]);
            if (a > max && a != Float.POSITIVE_INFINITY) {
                max = a;
            }
        }
        return new ColorScale(max);
    }

    /** The scale spanning all of {@code values}. */
    public static ColorScale spanning(float[] values) {
        return spanning(values, 0, values.length);
    }

    /** The colour of {@code v} (0xRRGGBB); NaN is drawn as mid gray. */
    @Override
    public int rgb(float v) {
        if (Float.isNaN(v)) {
            return 0x808080;
        }
        if (limit == 0f || v == 0f) {
            return 0;
        }
        double t = Math.min(1.0, Math.abs((double) v) / limit);
        int base = v > 0 ? POSITIVE : NEGATIVE;
        int r = (int) Math.round(((base >> 16) & 0xFF) * t);
        int g = (int) Math.round(((base >> 8) & 0xFF) * t);
        int b = (int) Math.round((base & 0xFF) * t);
        return r << 16 | g << 8 | b;
    }
}
