package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;

/** One statement of a model block; {@link #pos()} is where it starts. */
public sealed interface Statement {

    SourcePos pos();

    /** {@code input NAME: [C, H, W]} or {@code input NAME: [N]}. */
    record InputStmt(Ident name, Value.ListValue shape, SourcePos pos) implements Statement {
    }

    /** {@code output NAME, ...}: the model's outputs. */
    record OutputStmt(List<Ident> names, SourcePos pos) implements Statement {
        public OutputStmt {
            names = List.copyOf(names);
        }
    }

    /** {@code labels ["cat", "dog"]}: the class labels. */
    record LabelsStmt(Value.ListValue labels, SourcePos pos) implements Statement {
    }

    /** {@code NAME = chain}: defines (or redefines) a named value. */
    record AssignStmt(Ident target, Chain chain, SourcePos pos) implements Statement {
    }

    /** A bare chain: a stack statement reading the previous statement's value. */
    record LayerStmt(Chain chain, SourcePos pos) implements Statement {
    }
}
