package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Ident;
import dev.striate.frontend.ast.Value;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a layer's or activation's arguments to its op signature: the matching (positional in
 * order, then keywords) is {@link Arguments}, shared with the train block; this converts each
 * value to its {@link ArgType}, checks its {@link dev.striate.frontend.args.Range} and fills in
 * defaults. Reports every unknown, duplicate, missing, surplus, mistyped or bad argument at its
 * position.
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
     * Binds {@code arguments} (the call's arguments after its leading input names): matches
     * them with {@link Arguments}, the binder train blocks use too, then converts and checks
     * each value and fills in defaults.
     *
     * @param allowName whether {@code name="..."} is accepted (layers, not activations)
     * @return the binding, or empty if any argument was wrong (already reported)
     */
    Optional<Binding> bind(OpSignature sig, List<Argument> arguments, SourcePos callPos, boolean allowName) {
        List<String> names = sig.params().stream().map(Param::name).toList();
        Arguments matched = Arguments.bind(sig.name(), names, allowName ? List.of("name") : List.of(), arguments,
                callPos, diagnostics);
        boolean ok = matched.ok();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, SourcePos> valuePositions = new HashMap<>();
        String layerName = null;
        SourcePos layerNamePos = null;
        Value name = matched.value("name");
        if (allowName && name != null) {
            if (name instanceof Value.StringValue s && !s.value().isEmpty()) {
                layerName = s.value();
                layerNamePos = s.pos();
            } else {
                diagnostics.error(ErrorCode.WRONG_TYPE, name.pos(), sig.name()
                        + " argument 'name' must be a non-empty string, got " + name.describe());
                ok = false;
            }
        }
        for (Param p : sig.params()) {
            Value written = matched.value(p.name());
            if (written != null) {
                Object value = convert(sig, p, written);
                if (value == null) {
                    ok = false;
                } else {
                    values.put(p.name(), value);
                    valuePositions.put(p.name(), written.pos());
                }
            } else if (p.required()) {
                matched.require(p.name(), sig.usage());
                ok = false;
            } else if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            }
        }
        return ok ? Optional.of(new Binding(new BoundArgs(values, valuePositions), layerName, layerNamePos)) : Optional.empty();
    }

    /** The converted, checked value, or null after reporting why it is wrong. */
    private Object convert(OpSignature sig, Param param, Value value) {
        String what = sig.name() + " argument '" + param.name() + "'";
        if (param.type() == ArgType.ACTIVATION) {
            return activation(value, what);
        }
        try {
            Object v = param.type().convert(value, what);
            ArgType.check(v, param.range(), what);
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
            diagnostics.error(ErrorCode.WRONG_TYPE, value.pos(), what + " must be "
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
