package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;

/**
 * One argument of a call: positional ({@link #keyword()} is null) or {@code keyword=value}.
 * {@link #pos()} is where the argument starts (the keyword, or the value).
 */
public record Argument(Ident keyword, Value value, SourcePos pos) {

    public boolean isPositional() {
        return keyword == null;
    }
}
