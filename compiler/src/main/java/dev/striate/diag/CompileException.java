package dev.striate.diag;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A user mistake: the model, the weights or the request is wrong. Carries every diagnostic found.
 * Front ends print {@link #getMessage()} and exit with status 1; it is never an internal error.
 */
public final class CompileException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompileException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
