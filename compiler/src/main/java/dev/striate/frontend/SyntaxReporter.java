package dev.striate.frontend;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.util.Map;
import java.util.TreeMap;
import org.antlr.v4.runtime.Token;

/**
 * Collects syntax errors and, on {@link #flush}, adds them as {@link ErrorCode#SYNTAX}
 * diagnostics keeping only the leftmost error of each line: later ones on the same line are
 * almost always echoes of the first (ANTLR's recovery resynchronizing) and confuse more than help.
 */
final class SyntaxReporter {
    private final String fileName;
    private final Diagnostics diagnostics;
    private final Map<Integer, SourcePos> firstByLine = new TreeMap<>();
    private final Map<Integer, String> messageByLine = new TreeMap<>();

    SyntaxReporter(String fileName, Diagnostics diagnostics) {
        this.fileName = fileName;
        this.diagnostics = diagnostics;
    }

    void report(SourcePos pos, String message) {
        SourcePos first = firstByLine.get(pos.line());
        if (first == null || pos.column() < first.column()) {
            firstByLine.put(pos.line(), pos);
            messageByLine.put(pos.line(), message);
        }
    }

    /** Adds the kept errors to the diagnostics; returns whether there were any. */
    boolean flush() {
        firstByLine.forEach((line, pos) -> diagnostics.error(ErrorCode.SYNTAX, pos, messageByLine.get(line)));
        boolean any = !firstByLine.isEmpty();
        firstByLine.clear();
        messageByLine.clear();
        return any;
    }

    void report(Token at, String message) {
        report(position(at), message);
    }

    /** The 1-based position of a token's first character. */
    SourcePos position(Token t) {
        return position(fileName, t);
    }

    static SourcePos position(String fileName, Token t) {
        return new SourcePos(fileName, t.getLine(), t.getCharPositionInLine() + 1);
    }

    /** The position just after a token's last character (where a missing token belongs). */
    SourcePos after(Token t) {
        return new SourcePos(fileName, t.getLine(), t.getCharPositionInLine() + t.getText().length() + 1);
    }
}
