package dev.striate.frontend.lower;

import dev.striate.ir.Op;
import dev.striate.ir.Shape;
import java.util.List;
import java.util.Optional;

/**
 * How one layer is written and what it builds: its arguments (positional order, types,
 * defaults), how many inputs it reads, whether it is an activation (usable as
 * {@code activation=}), and the factory that makes its IR {@link Op}.
 */
record OpSignature(String name, List<Param> params, Arity arity, boolean isActivation, Factory factory) {

    /** How many inputs an op reads. */
    enum Arity {
        ONE,
        TWO_OR_MORE
    }

    /** Builds the IR op from bound arguments; {@code input} is the first input's shape, possibly unknown. */
    @FunctionalInterface
    interface Factory {
        Op build(BoundArgs args, Shape input);
    }

    OpSignature {
        params = List.copyOf(params);
    }

    Optional<Param> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** {@code conv2d(filters, kernel, stride, ...)} for messages. */
    String usage() {
        return name + "(" + String.join(", ", params.stream().map(Param::name).toList()) + ")";
    }
}
