package dev.striate.ir;

import java.util.Locale;

/**
 * The hard size limits of the generated code, which keeps every tensor in one {@code float[]}
 * and all weights in one {@code .weights} resource read into one {@code byte[]}: Java arrays
 * are indexed by {@code int}. Shape inference refuses anything larger with
 * {@link dev.striate.diag.ErrorCode#TOO_LARGE}, so no later stage (summary, init, memory
 * planning, the backend) can overflow.
 */
public final class Sizes {
    /** The most elements a Java array may hold on common JVMs ({@code Integer.MAX_VALUE - 8}). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Bytes of the weights resource's header (see {@code WeightBlob}). */
    private static final int BLOB_HEADER_BYTES = 16;

    /** The most weights one model may have: the {@code .weights} resource is read as one array. */
    public static final long MAX_TOTAL_PARAMS = (MAX_ELEMENTS - BLOB_HEADER_BYTES) / Float.BYTES;

    private Sizes() {
    }

    /** The number of elements of dimensions {@code dims}, saturated at {@link Long#MAX_VALUE}. */
    public static long elements(int... dims) {
        long n = 1;
        for (int d : dims) {
            n = saturatingMultiply(n, d);
        }
        return n;
    }

    /** {@code a * b} for non-negative values, {@link Long#MAX_VALUE} when it overflows. */
    public static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** {@code a + b} for non-negative values, {@link Long#MAX_VALUE} when it overflows. */
    public static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Whether a tensor of these dimensions fits one Java array. */
    public static boolean fitsArray(Shape shape) {
        return elements(shape.dims()) <= MAX_ELEMENTS;
    }

    /** {@code 1,234,567} (or {@code more than 9,223,372,036,854,775,806} when saturated). */
    public static String count(long n) {
        return n == Long.MAX_VALUE ? "more than " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE - 1)
                : String.format(Locale.ROOT, "%,d", n);
    }

    /** The limit, as messages state it. */
    public static String arrayLimit() {
        return "a tensor may hold at most " + count(MAX_ELEMENTS) + " floats (the largest Java array)";
    }
}
