package dev.striate.data;

/** How {@link ImageFolder} converts images: to one gray channel or to three RGB channels. */
public enum ColorMode {
    /** One channel, {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, PIL's {@code convert("L")} without its rounding). */
    GRAY(1),
    /** Three channels, red, green, blue; gray images are repeated in each. */
    RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    /** The number of channels of a converted image. */
    public int channels() {
        return channels;
    }
}
