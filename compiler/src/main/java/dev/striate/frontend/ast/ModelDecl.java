package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;

/** A {@code model NAME { statements }} block. */
public record ModelDecl(Ident name, List<Statement> statements, SourcePos pos) {
    public ModelDecl {
        statements = List.copyOf(statements);
    }
}
