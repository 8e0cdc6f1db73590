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

    /** {@code base + offset} without a useless {@code + 0} (and just the offset when {@code base} is {@code 0}). */
    public static String plus(String base, int offset) {
        if (offset == 0) {
            return base;
        }
        if (base.equals("0")) {
            return String.valueOf(offset);
        }
        return offset > 0 ? base + " + " + offset : base + " - " + (-offset);
    }

    /**
     * {@code base * factor} without a useless {@code * 1}; {@code 0} when either is zero; a sum
     * as {@code base} gets parentheses.
     */
    public static String times(String base, int factor) {
        if (factor == 0 || base.equals("0")) {
            return "0";
        }
        if (factor == 1) {
            return base;
        }
        return (base.contains(" ") ? "(" + base + ")" : base) + " * " + factor;
    }

    /** {@code a + b}, or the other term when one is {@code 0}. */
    public static String add(String a, String b) {
        if (a.equals("0")) {
            return b;
        }
        return b.equals("0") ? a : a + " + " + b;
    }
}
