package dev.striate.frontend.lower;

import dev.striate.diag.ErrorCode;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.ast.Value;
import dev.striate.ir.Padding;
import java.util.ArrayList;
import java.util.List;

/**
 * The types an op argument can have, each turning an AST value into its Java form:
 * {@code Integer}, {@code Float}, {@code Boolean}, {@code int[2]} (an int or {@code [h, w]}),
 * {@link Padding} ({@link Padding.Explicit} for {@code PADS}) or {@code List<Float>}.
 * Activations are resolved by the binder.
 */
enum ArgType {
    INT("an integer"),
    FLOAT("a number"),
    BOOL("true or false"),
    PAIR("an integer or [height, width]"),
    PADDING("an integer, [vertical, horizontal], [top, bottom, left, right], valid or same"),
    /** Explicit amounts only ({@code pad}): {@code same} needs a window, so it has no meaning here. */
    PADS("an integer, [vertical, horizontal] or [top, bottom, left, right]"),
    FLOATS("a number or a list of numbers"),
    ACTIVATION("an activation (relu, leaky_relu, elu, sigmoid, tanh, softmax, linear)");

    private final String expected;

    ArgType(String expected) {
        this.expected = expected;
    }

    /** What the type accepts, for messages: {@code an integer or [height, width]}. */
    String expected() {
        return expected;
    }

    /** The Java form of {@code v}, or why it is not of this type ({@code what} names the argument). */
    Object convert(Value v, String what) throws ArgError {
        return switch (this) {
            case INT -> integer(v, what);
            case FLOAT -> number(v, what);
            case BOOL -> {
                if (v instanceof Value.BoolValue b) {
                    yield b.value();
                }
                throw wrong(v, what);
            }
            case PAIR -> pair(v, what);
            case PADDING -> padding(v, what);
            case PADS -> {
                if (v instanceof Value.NameValue) {
                    throw wrong(v, what);
                }
                yield padding(v, what);
            }
            case FLOATS -> {
                if (v instanceof Value.ListValue l && !l.items().isEmpty()) {
                    List<Float> out = new ArrayList<>();
                    for (Value item : l.items()) {
                        out.add(number(item, what));
                    }
                    yield List.copyOf(out);
                }
                yield List.of(number(v, what));
            }
            case ACTIVATION -> throw new IllegalStateException("activations are resolved by ArgBinder");
        };
    }

    /**
     * Checks every number of a converted value (an int, a float, both of a pair, each of a list)
     * against {@code range}; values that are not numbers pass.
     */
    static void check(Object value, Range range, String what) throws ArgError {
        if (value instanceof int[] pair) {
            String shown = pair[0] == pair[1] ? Integer.toString(pair[0]) : "[" + pair[0] + ", " + pair[1] + "]";
            for (int v : pair) {
                check(v, shown, range, what);
            }
        } else if (value instanceof Integer i) {
            check(i, Integer.toString(i), range, what);
        } else if (value instanceof Float f) {
            check(f, Float.toString(f), range, what);
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                check((Float) o, o.toString(), range, what);
            }
        }
    }

    private static void check(double v, String shown, Range range, String what) throws ArgError {
        if (!range.contains(v)) {
            throw new ArgError(ErrorCode.BAD_VALUE, what + " " + range.describe() + ", got " + shown);
        }
    }

    private Integer integer(Value v, String what) throws ArgError {
        if (v instanceof Value.NumberValue n && n.integral()) {
            if (Math.abs(n.value()) > Integer.MAX_VALUE) {
                throw new ArgError(ErrorCode.TOO_LARGE, what + " is too large: " + n.text() + " (at most "
                        + String.format(java.util.Locale.ROOT, "%,d", Integer.MAX_VALUE) + ")");
            }
            return (int) n.value();
        }
        throw wrong(v, what);
    }

    private Float number(Value v, String what) throws ArgError {
        if (v instanceof Value.NumberValue n) {
            float f = (float) n.value();
            if (!Float.isFinite(f)) {
                throw new ArgError(ErrorCode.BAD_VALUE, what + " is out of range: " + n.text());
            }
            return f;
        }
        throw wrong(v, what);
    }

    private int[] pair(Value v, String what) throws ArgError {
        if (v instanceof Value.ListValue l) {
            if (l.items().size() != 2) {
                throw wrong(v, what);
            }
            return new int[] {integer(l.items().get(0), what), integer(l.items().get(1), what)};
        }
        int i = integer(v, what);
        return new int[] {i, i};
    }

    private Padding padding(Value v, String what) throws ArgError {
        if (v instanceof Value.NameValue n) {
            switch (n.name()) {
                case "same":
                    return new Padding.Same();
                case "valid":
                    return Padding.VALID;
                default:
                    throw wrong(v, what);
            }
        }
        int[] p;
        if (v instanceof Value.ListValue l && (l.items().size() == 2 || l.items().size() == 4)) {
            p = new int[l.items().size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = integer(l.items().get(i), what);
            }
        } else if (v instanceof Value.NumberValue) {
            p = new int[] {integer(v, what)};
        } else {
            throw wrong(v, what);
        }
        for (int x : p) {
            if (x < 0) {
                throw new ArgError(ErrorCode.BAD_VALUE, what + " must not be negative, got " + x);
            }
        }
        return switch (p.length) {
            case 1 -> Padding.Explicit.of(p[0]);
            case 2 -> Padding.Explicit.of(p[0], p[1]);
            default -> new Padding.Explicit(p[0], p[1], p[2], p[3]);
        };
    }

    private ArgError wrong(Value v, String what) {
        return new ArgError(ErrorCode.WRONG_TYPE, what + " must be " + expected + ", got " + v.describe());
    }
}
