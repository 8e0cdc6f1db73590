package dev.striate.frontend.args;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.ast.Value;

/**
 * Typed reading of argument and setting values: a wrong type or a value out of its {@link Range}
 * is a diagnostic at the value, and the caller's fallback is returned.
 */
public final class Values {
    private Values() {
    }

    /** A number in {@code range}, or {@code fallback} after reporting; {@code what} names it in messages. */
    public static double number(Value v, String what, Range range, Diagnostics diagnostics, double fallback) {
        if (!(v instanceof Value.NumberValue n)) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be a number, got " + v.describe());
            return fallback;
        }
        if (!range.contains(n.value())) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), what + " " + range.describe() + ", got " + n.text());
            return fallback;
        }
        return n.value();
    }

    /** An integer from {@code min} to {@link Integer#MAX_VALUE}, or {@code fallback} after reporting. */
    public static int integer(Value v, String what, int min, Diagnostics diagnostics, int fallback) {
        if (!(v instanceof Value.NumberValue n) || !n.integral()) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be an integer, got " + v.describe());
            return fallback;
        }
        if (n.value() < min || n.value() > Integer.MAX_VALUE) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), what + " must be at least " + min + ", got " + n.text());
            return fallback;
        }
        return (int) n.value();
    }

    /** An integer of any size that fits a long, or {@code fallback} after reporting. */
    public static long longValue(Value v, String what, Diagnostics diagnostics, long fallback) {
        if (!(v instanceof Value.NumberValue n) || !n.integral()) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be an integer, got " + v.describe());
            return fallback;
        }
        return (long) n.value();
    }

    /** {@code true} or {@code false}, or {@code fallback} after reporting. */
    public static boolean bool(Value v, String what, Diagnostics diagnostics, boolean fallback) {
        if (!(v instanceof Value.BoolValue b)) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be true or false, got " + v.describe());
            return fallback;
        }
        return b.value();
    }

    /** A number or a list of numbers; null after reporting an error. */
    public static double[] numbers(Value v, String what, Range range, Diagnostics diagnostics) {
        if (v instanceof Value.NumberValue) {
            double x = number(v, what, range, diagnostics, Double.NaN);
            return Double.isNaN(x) ? null : new double[] {x};
        }
        if (!(v instanceof Value.ListValue list) || list.items().isEmpty()) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be a number or a list of numbers, got "
                    + v.describe());
            return null;
        }
        double[] out = new double[list.items().size()];
        boolean ok = true;
        for (int i = 0; i < out.length; i++) {
            out[i] = number(list.items().get(i), what, range, diagnostics, Double.NaN);
            ok &= !Double.isNaN(out[i]);
        }
        return ok ? out : null;
    }

    /** The function name of a call or bare name value; null (after an error) for anything else. */
    public static String callName(Value v, String what, Diagnostics diagnostics) {
        if (v instanceof Value.NameValue n) {
            return n.name();
        }
        if (v instanceof Value.CallValue c) {
            return c.function().name();
        }
        if (v instanceof Value.StringValue s) {
            return s.value();
        }
        diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), what + " must be a name or a call, got " + v.describe());
        return null;
    }
}
