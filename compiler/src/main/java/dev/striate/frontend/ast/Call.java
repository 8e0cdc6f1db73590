package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;

/** One layer call in a chain, e.g. {@code conv2d(32, kernel=3)} or a bare {@code flatten}. */
public record Call(Ident op, List<Argument> arguments, SourcePos pos) {
    public Call {
        arguments = List.copyOf(arguments);
    }
}
