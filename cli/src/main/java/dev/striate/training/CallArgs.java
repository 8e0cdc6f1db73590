package dev.striate.training;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a call in a train block, such as {@code sgd(0.1, momentum=0.9)} or a bare
 * {@code adam}, matched against the parameter names the function takes (positional arguments in
 * that order). Unknown, repeated and surplus arguments and values of the wrong type or range are
 * reported to the {@link Diagnostics} at the argument's position; the typed getters then return
 * the default, so one pass collects every error.
 */
final class CallArgs {
    private final String function;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final SourcePos pos;
    private final Diagnostics diagnostics;

    private CallArgs(String function, SourcePos pos, Diagnostics diagnostics) {
        this.function = function;
        this.pos = pos;
        this.diagnostics = diagnostics;
    }

    /** The arguments of {@code call} (a name is a call without arguments) matched to {@code params}. */
    static CallArgs of(Value call, List<String> params, Diagnostics diagnostics) {
        if (call instanceof Value.NameValue name) {
            return new CallArgs(name.name(), name.pos(), diagnostics);
        }
        if (call instanceof Value.StringValue name) {
            return new CallArgs(name.value(), name.pos(), diagnostics);
        }
        Value.CallValue c = (Value.CallValue) call;
        CallArgs args = new CallArgs(c.function().name(), c.pos(), diagnostics);
        int positional = 0;
        for (Argument a : c.arguments()) {
            String key;
            if (a.isPositional()) {
                if (positional >= params.size()) {
                    diagnostics.error(ErrorCode.TOO_MANY_ARGUMENTS, a.pos(), args.function + " takes at most "
                            + params.size() + " positional argument" + (params.size() == 1 ? "" : "s")
                            + (params.isEmpty() ? "" : " (" + String.join(", ", params) + ")"));
                    continue;
                }
                key = params.get(positional++);
            } else {
                key = a.keyword().name();
                if (!params.contains(key)) {
                    diagnostics.error(ErrorCode.UNKNOWN_ARGUMENT, a.keyword().pos(), args.function
                            + " has no argument '" + key + "'" + Suggestions.didYouMean(key, params)
                            + (params.isEmpty() ? "" : " (arguments: " + String.join(", ", params) + ")"));
                    continue;
                }
            }
            if (args.values.containsKey(key)) {
                diagnostics.error(ErrorCode.DUPLICATE_ARGUMENT, a.pos(), args.function + ": '" + key
                        + "' is given twice");
                continue;
            }
            args.values.put(key, a.value());
        }
        return args;
    }

    /** The function's name as written. */
    String function() {
        return function;
    }

    /** Where the call starts. */
    SourcePos pos() {
        return pos;
    }

    /** Whether the argument was given. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A number in {@code [min, max]} (the bounds inclusive unless named in {@code range}), or {@code fallback}. */
    double number(String name, double fallback, Range range) {
        Value v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return Values.number(v, function + " " + name, range, diagnostics, fallback);
    }

    /** An integer at least {@code min}, or {@code fallback}. */
    int integer(String name, int fallback, int min) {
        Value v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return Values.integer(v, function + " " + name, min, diagnostics, fallback);
    }

    /** A boolean, or {@code fallback}. */
    boolean bool(String name, boolean fallback) {
        Value v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return Values.bool(v, function + " " + name, diagnostics, fallback);
    }

    /** A number or a list of numbers, each in {@code range}; null when absent. */
    double[] numbers(String name, Range range) {
        Value v = values.get(name);
        if (v == null) {
            return null;
        }
        return Values.numbers(v, function + " " + name, range, diagnostics);
    }

    /** Reports that a required argument is missing (at the call). */
    void require(String name, String what) {
        if (!values.containsKey(name)) {
            diagnostics.error(ErrorCode.MISSING_ARGUMENT, pos, function + " needs " + name + " (" + what + ")");
        }
    }
}
