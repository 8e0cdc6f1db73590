package dev.striate.frontend.lower;

import dev.striate.frontend.args.Range;

/**
 * One argument of an op's signature: its name, type, allowed numbers and default.
 * {@code defaultValue} is the converted Java value; null with {@code required} false means
 * "derived by the op" (pooling's {@code stride} defaults to its {@code size}). {@code range}
 * applies to every number of the value (both of a pair, each of a list); {@link Range#ANY} for
 * values that are not numbers.
 */
record Param(String name, ArgType type, Range range, boolean required, Object defaultValue) {

    static Param required(String name, ArgType type, Range range) {
        return new Param(name, type, range, true, null);
    }

    static Param optional(String name, ArgType type, Range range, Object defaultValue) {
        return new Param(name, type, range, false, defaultValue);
    }
}
