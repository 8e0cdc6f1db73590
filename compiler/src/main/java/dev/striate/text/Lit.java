package dev.striate.text;

/** Java source literals and index arithmetic for generated code (inference and training). */
public final class Lit {
    private Lit() {
    }

    /** A float literal that reads back to exactly {@code v}, e.g. {@code 0.01f}. */
    public static String f(float v) {
        if (Float.isNaN(v)) {
            return "Float.NaN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return Float.toString(v) + "f";
    }

    /** {@code base + offset} without a useless {@code + 0}. */
    public static String plus(String base, int offset) {
        if (offset == 0) {
            return base;
        }
        return offset > 0 ? base + " + " + offset : base + " - " + (-offset);
    }

    /** {@code base * factor} without a useless {@code * 1}. */
    public static String times(String base, int factor) {
        return factor == 1 ? base : base + " * " + factor;
    }
}
