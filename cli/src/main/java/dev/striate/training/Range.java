package dev.striate.training;

import java.util.Locale;

/**
 * The allowed values of a number in a train block: between {@code min} and {@code max}, each
 * bound inclusive or exclusive, with a description for messages.
 *
 * @param min the lower bound
 * @param minInclusive whether {@code min} itself is allowed
 * @param max the upper bound
 * @param maxInclusive whether {@code max} itself is allowed
 */
record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {
    /** Any finite number {@code >= 0}. */
    static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);
    /** Any finite number {@code > 0}. */
    static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
    /** {@code [0, 1)}. */
    static final Range FRACTION = new Range(0, true, 1, false);
    /** {@code [0, 1]}. */
    static final Range UNIT = new Range(0, true, 1, true);
    /** Any finite number. */
    static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** Whether {@code x} is finite and inside. */
    boolean contains(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        boolean lo = minInclusive ? x >= min : x > min;
        boolean hi = maxInclusive ? x <= max : x < max;
        return lo && hi;
    }

    /** For messages: {@code must be > 0}, {@code must be in [0, 1)}. */
    String describe() {
        if (max == Double.POSITIVE_INFINITY && min == Double.NEGATIVE_INFINITY) {
            return "must be finite";
        }
        if (max == Double.POSITIVE_INFINITY) {
            return "must be " + (minInclusive ? ">= " : "> ") + fmt(min);
        }
        return "must be in " + (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
