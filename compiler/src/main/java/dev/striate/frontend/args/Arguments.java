package dev.striate.frontend.args;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Ident;
import dev.striate.frontend.ast.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one binder of named arguments: a call's arguments matched to the parameters of what it
 * calls, for layers in a model ({@code conv2d(32, kernel=3)}) and for calls in a train block
 * ({@code sgd(0.1, momentum=0.9)}). Positional arguments take the parameters in order, then
 * keywords; keyword-only parameters ({@code name} of a layer) are never filled by position.
 * Surplus (reported once), unknown and repeated arguments are reported at their position; a
 * missing one, through {@link #require}, at the call. The typed getters ({@link Values}) check
 * the value's type and {@link Range} and report at the value, then return the fallback, so one
 * pass collects every error.
 */
public final class Arguments {
    private final String function;
    private final List<String> params;
    private final SourcePos pos;
    private final Diagnostics diagnostics;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private boolean ok = true;

    private Arguments(String function, List<String> params, SourcePos pos, Diagnostics diagnostics) {
        this.function = function;
        this.params = List.copyOf(params);
        this.pos = pos;
        this.diagnostics = diagnostics;
    }

    /**
     * Binds {@code arguments} of a call to {@code function}.
     *
     * @param params the parameters, in positional order
     * @param keywordOnly further parameters that may only be given by keyword
     * @param callPos where the call is, for a missing argument
     */
    public static Arguments bind(String function, List<String> params, List<String> keywordOnly,
            List<Argument> arguments, SourcePos callPos, Diagnostics diagnostics) {
        Arguments bound = new Arguments(function, params, callPos, diagnostics);
        Map<String, SourcePos> given = new HashMap<>();
        int positional = 0;
        boolean reportedSurplus = false;
        for (Argument a : arguments) {
            String key;
            if (a.isPositional()) {
                if (positional >= params.size()) {
                    if (!reportedSurplus) {
                        diagnostics.error(ErrorCode.TOO_MANY_ARGUMENTS, a.pos(), function + " takes "
                                + countWords(params.size()) + ": " + bound.usage());
                        reportedSurplus = true;
                    }
                    bound.ok = false;
                    continue;
                }
                key = params.get(positional++);
            } else {
                Ident keyword = a.keyword();
                key = keyword.name();
                if (!params.contains(key) && !keywordOnly.contains(key)) {
                    String hint = Suggestions.didYouMean(key, params);
                    diagnostics.error(ErrorCode.UNKNOWN_ARGUMENT, keyword.pos(), function + " has no argument '"
                            + key + "'" + (hint.isEmpty() ? "; it takes " + bound.usage() : hint));
                    bound.ok = false;
                    continue;
                }
            }
            SourcePos before = given.putIfAbsent(key, a.pos());
            if (before != null) {
                diagnostics.error(ErrorCode.DUPLICATE_ARGUMENT, a.pos(), "argument '" + key
                        + "' is given twice (first at " + before.line() + ":" + before.column() + ")");
                bound.ok = false;
                continue;
            }
            bound.values.put(key, a.value());
        }
        return bound;
    }

    /**
     * The arguments of a train block call such as {@code adam(lr=0.01)}; a bare name
     * ({@code adam}, or the string {@code "adam"}) is a call without arguments.
     */
    public static Arguments of(Value call, List<String> params, Diagnostics diagnostics) {
        if (call instanceof Value.NameValue name) {
            return new Arguments(name.name(), params, name.pos(), diagnostics);
        }
        if (call instanceof Value.StringValue name) {
            return new Arguments(name.value(), params, name.pos(), diagnostics);
        }
        Value.CallValue c = (Value.CallValue) call;
        return bind(c.function().name(), params, List.of(), c.arguments(), c.pos(), diagnostics);
    }

    private static String countWords(int n) {
        return n == 0 ? "no arguments" : n == 1 ? "at most 1 argument" : "at most " + n + " arguments";
    }

    /** How the call is written with every positional parameter: {@code maxpool(size, stride, padding)}. */
    public String usage() {
        return function + "(" + String.join(", ", params) + ")";
    }

    /** The function's name as written. */
    public String function() {
        return function;
    }

    /** Where the call starts. */
    public SourcePos pos() {
        return pos;
    }

    /** Whether every argument matched a parameter and every {@link #require}d one was given. */
    public boolean ok() {
        return ok;
    }

    /** Whether the argument was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value written for {@code name}, or null when it was not given. */
    public Value value(String name) {
        return values.get(name);
    }

    /** The names given, in the order written. */
    public List<String> given() {
        return new ArrayList<>(values.keySet());
    }

    /** Reports at the call that {@code name} is missing; {@code detail} says what it is or how to call. */
    public void require(String name, String detail) {
        if (!values.containsKey(name)) {
            diagnostics.error(ErrorCode.MISSING_ARGUMENT, pos, function + " needs argument '" + name + "': " + detail);
            ok = false;
        }
    }

    /** A number in {@code range}, or {@code fallback} (absent, or reported). */
    public double number(String name, double fallback, Range range) {
        Value v = values.get(name);
        return v == null ? fallback : Values.number(v, what(name), range, diagnostics, fallback);
    }

    /** An integer at least {@code min}, or {@code fallback}. */
    public int integer(String name, int fallback, int min) {
        Value v = values.get(name);
        return v == null ? fallback : Values.integer(v, what(name), min, diagnostics, fallback);
    }

    /** A boolean, or {@code fallback}. */
    public boolean bool(String name, boolean fallback) {
        Value v = values.get(name);
        return v == null ? fallback : Values.bool(v, what(name), diagnostics, fallback);
    }

    /** A number or a list of numbers, each in {@code range}; null when absent or reported. */
    public double[] numbers(String name, Range range) {
        Value v = values.get(name);
        return v == null ? null : Values.numbers(v, what(name), range, diagnostics);
    }

    private String what(String name) {
        return function + " " + name;
    }
}
