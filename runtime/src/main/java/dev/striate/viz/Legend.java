package dev.striate.viz;

/**
 * How a row of an {@link ImageGrid} colours values from {@code -limit} to {@code +limit}: what its
 * legend bar shows. {@link ColorScale} for signed planes (black at 0, orange and blue);
 * {@link ChannelScale} for colour tiles whose three channels each carry a signed value (mid gray
 * at 0), as an RGB layer's filters.
 */
public interface Legend {
    /** The magnitude at either end of the bar (not negative, finite). */
    float limit();

    /** The colour of {@code v} (0xRRGGBB). */
    int rgb(float v);
}
