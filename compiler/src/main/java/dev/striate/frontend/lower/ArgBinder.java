package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Ident;
import dev.striate.frontend.ast.Value;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches a call's arguments to an op's signature: positional in order, then keywords;
 * converts and checks each value and fills in defaults. Reports every unknown, duplicate,
 * missing, surplus, mistyped or bad argument at its position.
 */
final class ArgBinder {
    private final Diagnostics diagnostics;

    ArgBinder(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** A call's bound arguments and its explicit {@code name="..."} (null when not given). */
    record Binding(BoundArgs args, String layerName, SourcePos layerNamePos) {
    }

    /**
     * Binds {@code arguments} (the call's arguments after its leading input names).
     *
     * @param allowName whether {@code name="..."} is accepted (layers, not activations)
     * @return the binding, or empty if any argument was wrong (already reported)
     */
    Optional<Binding> bind(OpSignature sig, List<Argument> arguments, SourcePos callPos, boolean allowName) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, SourcePos> given = new HashMap<>();
        Map<String, SourcePos> valuePositions = new HashMap<>();
        String layerName = null;
        SourcePos layerNamePos = null;
        boolean ok = true;
        int positional = 0;
        boolean reportedSurplus = false;
        for (Argument arg : arguments) {
            Param param;
            if (arg.isPositional()) {
                if (positional >= sig.params().size()) {
                    if (!reportedSurplus) {
                        diagnostics.error(ErrorCode.TOO_MANY_ARGUMENTS, arg.pos(), sig.name() + " takes "
                                + countWords(sig.params().size()) + ": " + sig.usage());
                        reportedSurplus = true;
                    }
                    ok = false;
                    continue;
                }
                param = sig.params().get(positional++);
            } else {
                Ident key = arg.keyword();
                if (allowName && key.name().equals("name")) {
                    if (given.putIfAbsent("name", key.pos()) != null) {
                        ok &= duplicate(key.name(), key.pos(), given.get("name"));
                    } else if (arg.value() instanceof Value.StringValue s && !s.value().isEmpty()) {
                        layerName = s.value();
                        layerNamePos = s.pos();
                    } else {
                        diagnostics.error(ErrorCode.WRONG_TYPE, arg.value().pos(), sig.name()
                                + " argument 'name' expects a non-empty string, got " + arg.value().describe());
                        ok = false;
                    }
                    continue;
                }
                Optional<Param> found = sig.param(key.name());
                if (found.isEmpty()) {
                    List<String> known = new ArrayList<>(sig.params().stream().map(Param::name).toList());
                    String hint = Suggestions.didYouMean(key.name(), known);
                    diagnostics.error(ErrorCode.UNKNOWN_ARGUMENT, key.pos(), sig.name() + " has no argument '"
                            + key.name() + "'" + (hint.isEmpty() ? "; it takes " + sig.usage() : hint));
                    ok = false;
                    continue;
                }
                param = found.get();
            }
            SourcePos before = given.putIfAbsent(param.name(), arg.pos());
            if (before != null) {
                ok &= duplicate(param.name(), arg.pos(), before);
                continue;
            }
            Object value = convert(sig, param, arg.value());
            if (value == null) {
                ok = false;
            } else {
                values.put(param.name(), value);
                valuePositions.put(param.name(), arg.value().pos());
            }
        }
        for (Param p : sig.params()) {
            if (!given.containsKey(p.name())) {
                if (p.required()) {
                    diagnostics.error(ErrorCode.MISSING_ARGUMENT, callPos, sig.name() + " needs argument '"
                            + p.name() + "': " + sig.usage());
                    ok = false;
                } else if (p.defaultValue() != null) {
                    values.put(p.name(), p.defaultValue());
                }
            }
        }
        return ok ? Optional.of(new Binding(new BoundArgs(values, valuePositions), layerName, layerNamePos)) : Optional.empty();
    }

    private boolean duplicate(String name, SourcePos pos, SourcePos before) {
        diagnostics.error(ErrorCode.DUPLICATE_ARGUMENT, pos, "argument '" + name + "' is given twice (first at "
                + before.line() + ":" + before.column() + ")");
        return false;
    }

    private static String countWords(int n) {
        return n == 0 ? "no arguments" : n == 1 ? "at most 1 argument" : "at most " + n + " arguments";
    }

    /** The converted, checked value, or null after reporting why it is wrong. */
    private Object convert(OpSignature sig, Param param, Value value) {
        String what = sig.name() + " argument '" + param.name() + "'";
        if (param.type() == ArgType.ACTIVATION) {
            return activation(value, what);
        }
        try {
            Object v = param.type().convert(value, what);
            param.check().apply(v, what);
            return v;
        } catch (ArgError e) {
            diagnostics.error(e.code(), value.pos(), e.getMessage());
            return null;
        }
    }

    /** Resolves {@code relu}, {@code leaky_relu(0.2)} or {@code elu(alpha=0.5)}; null after reporting. */
    private Activation activation(Value value, String what) {
        Ident function;
        List<Argument> args;
        if (value instanceof Value.NameValue n) {
            function = new Ident(n.name(), n.pos());
            args = List.of();
        } else if (value instanceof Value.CallValue c) {
            function = c.function();
            args = c.arguments();
        } else {
            diagnostics.error(ErrorCode.WRONG_TYPE, value.pos(), what + " expects "
                    + ArgType.ACTIVATION.expected() + ", got " + value.describe());
            return null;
        }
        Optional<OpSignature> sig = OpCatalog.find(function.name()).filter(OpSignature::isActivation);
        if (sig.isEmpty()) {
            diagnostics.error(ErrorCode.BAD_VALUE, function.pos(), what + ": unknown activation '" + function.name()
                    + "'" + Suggestions.didYouMean(function.name(), OpCatalog.activationNames())
                    + " (one of " + String.join(", ", OpCatalog.activationNames()) + ")");
            return null;
        }
        return bind(sig.get(), args, function.pos(), false)
                .map(b -> ((Activate) sig.get().factory().build(b.args(), Shape.UNKNOWN)).activation())
                .orElse(null);
    }
}
