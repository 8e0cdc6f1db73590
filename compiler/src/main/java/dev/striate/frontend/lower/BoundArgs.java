package dev.striate.frontend.lower;

import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.Padding;
import java.util.List;
import java.util.Map;

/**
 * The checked arguments of one call, with defaults filled in, read through typed accessors
 * by the op factories. Internal to lowering; the IR gets typed op records, never this map.
 */
final class BoundArgs {
    private final Map<String, Object> values;
    private final Map<String, SourcePos> positions;

    BoundArgs(Map<String, Object> values) {
        this(values, Map.of());
    }

    BoundArgs(Map<String, Object> values, Map<String, SourcePos> positions) {
        this.values = Map.copyOf(values);
        this.positions = Map.copyOf(positions);
    }

    /** Where the argument's value is written, or {@code orElse} when it was not given (a default). */
    SourcePos pos(String name, SourcePos orElse) {
        return positions.getOrDefault(name, orElse);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int integer(String name) {
        return (Integer) get(name);
    }

    float number(String name) {
        return (Float) get(name);
    }

    boolean bool(String name) {
        return (Boolean) get(name);
    }

    /** An int or {@code [h, w]} argument as {@code {h, w}}. */
    int[] pair(String name) {
        return ((int[]) get(name)).clone();
    }

    Padding padding(String name) {
        return (Padding) get(name);
    }

    Activation activation(String name) {
        return (Activation) get(name);
    }

    @SuppressWarnings("unchecked")
    List<Float> numbers(String name) {
        return (List<Float>) get(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("argument " + name + " was not bound");
        }
        return v;
    }
}
