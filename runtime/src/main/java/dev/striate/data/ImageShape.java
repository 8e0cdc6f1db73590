package dev.striate.data;

/**
 * The shape of one image: channels, height and width; images are stored channel-major
 * ({@code C*H*W}, index {@code (c * height + y) * width + x}), like PyTorch's NCHW without the N.
 *
 * @param channels the number of channels (1 for grayscale, 3 for RGB)
 * @param height the height in pixels
 * @param width the width in pixels
 */
public record ImageShape(int channels, int height, int width) implements java.io.Serializable {
    /** Checks every dimension is positive and the size fits an {@code int}. */
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image dimensions must be positive, got "
                    + channels + "x" + height + "x" + width);
        }
        Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** The number of values of one image, {@code C*H*W}. */
    public int size() {
        return channels * height * width;
    }

    /** The number of pixels of one channel, {@code H*W}. */
    public int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }
}
