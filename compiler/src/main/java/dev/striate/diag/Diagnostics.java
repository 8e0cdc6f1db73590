package dev.striate.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every diagnostic of a compilation so that all errors are reported, not only the first. */
public final class Diagnostics {
    private final List<Diagnostic> all = new ArrayList<>();

    public void add(Diagnostic d) {
        all.add(d);
    }

    public void error(ErrorCode code, SourcePos pos, String message) {
        add(Diagnostic.error(code, pos, message));
    }

    public void warning(ErrorCode code, SourcePos pos, String message) {
        add(Diagnostic.warning(code, pos, message));
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(Diagnostic::isError);
    }

    /** All diagnostics in source order (file, line, column), stable for equal positions. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(all);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.pos().file())
                .thenComparingInt(d -> d.pos().line())
                .thenComparingInt(d -> d.pos().column()));
        return List.copyOf(copy);
    }

    /** Throws a {@link CompileException} carrying everything collected if any error was seen. */
    public void throwIfErrors() {
        if (hasErrors()) {
            throw new CompileException(sorted());
        }
    }
}
