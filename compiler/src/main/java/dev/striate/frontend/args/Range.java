package dev.striate.frontend.args;

import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The allowed values of a number argument, with the words that say so in messages. One
 * definition each, shared by layer arguments and train block settings: a {@link #FRACTION} is
 * in {@code [0, 1]} (batch-norm momentum, SGD dampening, schedule factors), a
 * {@link #PROPER_FRACTION} in {@code [0, 1)} for what must stay below 1 (a dropout rate, the
 * validation share, Adam's betas). No range holds NaN or an infinity.
 */
public final class Range {
    /** Any finite number. */
    public static final Range ANY = new Range(x -> true, "must be finite");
    /** {@code > 0}. */
    public static final Range POSITIVE = new Range(x -> x > 0, "must be positive");
    /** {@code >= 0}. */
    public static final Range NON_NEGATIVE = new Range(x -> x >= 0, "must not be negative");
    /** {@code != 0}: a divisor. */
    public static final Range NON_ZERO = new Range(x -> x != 0, "must not be zero");
    /** {@code [0, 1]}, both ends included. */
    public static final Range FRACTION = new Range(x -> x >= 0 && x <= 1, "must be in [0, 1]");
    /** {@code [0, 1)}: a fraction that is never the whole. */
    public static final Range PROPER_FRACTION = new Range(x -> x >= 0 && x < 1, "must be in [0, 1)");

    /** {@code [min, max]}, both ends included. */
    public static Range closed(double min, double max) {
        return new Range(x -> x >= min && x <= max, "must be in [" + format(min) + ", " + format(max) + "]");
    }

    private final DoublePredicate test;
    private final String rule;

    private Range(DoublePredicate test, String rule) {
        this.test = test;
        this.rule = rule;
    }

    /** Whether {@code x} is finite and allowed. */
    public boolean contains(double x) {
        return Double.isFinite(x) && test.test(x);
    }

    /** For messages, after the argument's name: {@code must be positive}, {@code must be in [0, 1)}. */
    public String describe() {
        return rule;
    }

    private static String format(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%s", x);
    }

    @Override
    public String toString() {
        return rule;
    }
}
