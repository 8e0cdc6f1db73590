package dev.striate.diag;

import dev.striate.ir.SourcePos;

/**
 * One message about the user's input, printed as {@code file:line:col: error: message [E302]}.
 */
public record Diagnostic(Severity severity, ErrorCode code, SourcePos pos, String message) {

    public static Diagnostic error(ErrorCode code, SourcePos pos, String message) {
        return new Diagnostic(Severity.ERROR, code, pos, message);
    }

    public static Diagnostic warning(ErrorCode code, SourcePos pos, String message) {
        return new Diagnostic(Severity.WARNING, code, pos, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The one-line form printed by the CLI and the Maven plugin. */
    public String format() {
        String where = pos == null || pos.equals(SourcePos.NONE) ? "" : pos + ": ";
        return where + severity + ": " + message + " [" + code.code() + "]";
    }

    @Override
    public String toString() {
        return format();
    }
}
