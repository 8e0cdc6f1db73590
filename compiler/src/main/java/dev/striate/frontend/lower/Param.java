package dev.striate.frontend.lower;

/**
 * One argument of an op's signature: its name, type, rule and default. {@code defaultValue}
 * is the converted Java value; null with {@code required} false means "derived by the op"
 * (pooling's {@code stride} defaults to its {@code size}).
 */
record Param(String name, ArgType type, Check check, boolean required, Object defaultValue) {

    static Param required(String name, ArgType type, Check check) {
        return new Param(name, type, check, true, null);
    }

    static Param optional(String name, ArgType type, Check check, Object defaultValue) {
        return new Param(name, type, check, false, defaultValue);
    }
}
