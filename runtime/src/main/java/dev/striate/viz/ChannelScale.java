package dev.striate.viz;

/**
 * The legend of colour tiles drawn with {@link Tile#color} from {@code -limit} to {@code +limit}:
 * each of red, green and blue goes from 0 at {@code -limit} through 128 (mid gray) at 0 to 255 at
 * {@code +limit}, so a value alone in one channel tints the tile that channel's colour and a
 * negative one its complement. The bar is the gray ramp every channel follows.
 *
 * @param limit the magnitude drawn at 0 and 255 (not negative, finite)
 */
public record ChannelScale(float limit) implements Legend {
    public ChannelScale {
        if (!(limit >= 0f) || Float.isInfinite(limit)) {
            throw new IllegalArgumentException("a channel scale's limit must be finite and not negative: " + limit);
        }
    }

    /** The gray of {@code v}: the level each channel of a {@link Tile#color} tile gets for it. */
    @Override
    public int rgb(float v) {
        int level = Tile.level(v, -limit, limit);
        return level << 16 | level << 8 | level;
    }
}
