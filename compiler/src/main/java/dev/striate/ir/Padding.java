package dev.striate.ir;

/**
 * How a convolution or pooling window pads its input: explicit amounts or Keras/TensorFlow
 * {@code same}. {@link #resolve} turns either into the explicit amounts for a given input.
 */
public sealed interface Padding permits Padding.Explicit, Padding.Same {

    /** Zero rows/columns added on each side. */
    record Explicit(int top, int bottom, int left, int right) implements Padding {
        public Explicit {
            if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                throw new IllegalArgumentException("padding must not be negative");
            }
        }

        public static Explicit of(int all) {
            return new Explicit(all, all, all, all);
        }

        public static Explicit of(int vertical, int horizontal) {
            return new Explicit(vertical, vertical, horizontal, horizontal);
        }

        public boolean isZero() {
            return top == 0 && bottom == 0 && left == 0 && right == 0;
        }

        @Override
        public String toString() {
            if (top == bottom && left == right) {
                return top == left ? Integer.toString(top) : "[" + top + ", " + left + "]";
            }
            return "[" + top + ", " + bottom + ", " + left + ", " + right + "]";
        }
    }

    /**
     * Keras/TensorFlow {@code padding='same'}: output size ceil(W/S); the total padding is
     * max((ceil(W/S) - 1) * S + D * (K - 1) + 1 - W, 0), with the odd pixel at the bottom/right.
     */
    record Same() implements Padding {
        @Override
        public String toString() {
            return "same";
        }
    }

    Padding VALID = Explicit.of(0);

    /** The explicit padding for an input of {@code inH x inW}. */
    default Explicit resolve(int inH, int inW, int kernelH, int kernelW, int strideH, int strideW,
                             int dilationH, int dilationW) {
        if (this instanceof Explicit e) {
            return e;
        }
        int totalH = samePadTotal(inH, kernelH, strideH, dilationH);
        int totalW = samePadTotal(inW, kernelW, strideW, dilationW);
        return new Explicit(totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2);
    }

    private static int samePadTotal(int in, int kernel, int stride, int dilation) {
        long out = ((long) in + stride - 1) / stride;
        return Math.toIntExact(Math.max((out - 1) * stride + (long) dilation * (kernel - 1) + 1 - in, 0));
    }
}
