package dev.striate.frontend.lower;

import dev.striate.diag.ErrorCode;
import java.util.List;

/** A rule an argument's converted value must satisfy, e.g. sizes are positive. */
enum Check {
    NONE,
    POSITIVE,
    NON_NEGATIVE,
    /** A probability in [0, 1): dropout's rate. */
    RATE,
    /** A fraction in [0, 1]: batch-norm momentum. */
    FRACTION,
    /** Every number is non-zero (a divisor). */
    NON_ZERO;

    /** Throws a {@link ErrorCode#BAD_VALUE} error if {@code value} breaks the rule. */
    void apply(Object value, String what) throws ArgError {
        if (value instanceof int[] pair) {
            for (int v : pair) {
                apply((double) v, formatInt(pair), what);
            }
        } else if (value instanceof Integer i) {
            apply(i.doubleValue(), Integer.toString(i), what);
        } else if (value instanceof Float f) {
            apply(f.doubleValue(), Float.toString(f), what);
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                apply(((Float) o).doubleValue(), o.toString(), what);
            }
        }
    }

    private void apply(double v, String shown, String what) throws ArgError {
        String rule = switch (this) {
            case NONE -> null;
            case POSITIVE -> v > 0 ? null : "must be positive";
            case NON_NEGATIVE -> v >= 0 ? null : "must not be negative";
            case RATE -> v >= 0 && v < 1 ? null : "must be in [0, 1)";
            case FRACTION -> v >= 0 && v <= 1 ? null : "must be in [0, 1]";
            case NON_ZERO -> v != 0 ? null : "must not be zero";
        };
        if (rule != null) {
            throw new ArgError(ErrorCode.BAD_VALUE, what + " " + rule + ", got " + shown);
        }
    }

    private static String formatInt(int[] pair) {
        return pair[0] == pair[1] ? Integer.toString(pair[0]) : "[" + pair[0] + ", " + pair[1] + "]";
    }
}
