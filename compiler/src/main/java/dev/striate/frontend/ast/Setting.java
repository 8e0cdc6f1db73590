package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;

/** One {@code key = value} line of a train block, e.g. {@code optimizer = rmsprop(lr=0.001)}. */
public record Setting(Ident key, Value value, SourcePos pos) {
}
