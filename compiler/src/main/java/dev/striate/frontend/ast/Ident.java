package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;

/** A name as written in the source (a model, value, op or keyword-argument name) and where. */
public record Ident(String name, SourcePos pos) {
}
