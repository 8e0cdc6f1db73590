package dev.striate.diag;

/**
 * A position in a source file: 1-based line and column, as printed in
 * {@code file:line:col: message} diagnostics.
 */
public record SourcePos(String file, int line, int column) {
    /** For nodes that passes create and that have no place in the source. */
    public static final SourcePos NONE = new SourcePos("<generated>", 0, 0);

    /** {@code file:line:col}, or just {@code file} for a whole-file position (line 0). */
    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }
}
