package dev.striate.autodiff;

/** Java source literals for generated training code. */
final class Lits {
    private Lits() {
    }

    /** A float literal that reads back to exactly {@code v}, e.g. {@code 0.01f}. */
    static String f(float v) {
        if (Float.isNaN(v)) {
            return "Float.NaN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return Float.toString(v) + "f";
    }

    /** Pixels per channel: {@code H * W} for maps, 1 for flat vectors. */
    static int plane(dev.striate.ir.Shape s) {
        return s.rank() == 3 ? s.height() * s.width() : 1;
    }
}
