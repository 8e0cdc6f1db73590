package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;

/** Layer calls joined by {@code ->}: each call after the first reads the one before it. */
public record Chain(List<Call> calls, SourcePos pos) {
    public Chain {
        calls = List.copyOf(calls);
    }
}
