package dev.striate.ir;

/**
 * The input ops that apply one affine map per channel, {@code y = scaleOf(c) * x + shiftOf(c)}:
 * {@link Rescale} and {@link Normalize}. The passes compose, fold and remove them through this
 * form, so each op defines its map once, here.
 */
public sealed interface ChannelAffineOp extends Op permits Normalize, Rescale {

    /** The slope on channel {@code c}, in double. */
    double scaleOf(int c);

    /** The offset on channel {@code c}, in double. */
    double shiftOf(int c);

    @Override
    default boolean isIdentityOn(Shape in) {
        for (int c = 0; c < in.channels(); c++) {
            if (scaleOf(c) != 1 || shiftOf(c) != 0) {
                return false;
            }
        }
        return true;
    }
}
