package dev.striate.diag;

import dev.striate.weights.Show;

/**
 * One message about the user's input, printed as {@code file:line:col: error: message [E302]}.
 */
public record Diagnostic(Severity severity, ErrorCode code, SourcePos pos, String message) {
    /** Longest run of user text (a name, a number, a string) kept whole in a message. */
    public static final int MAX_WORD = 100;
    /** Longest message kept whole; longer ones lose their middle. */
    public static final int MAX_MESSAGE = 800;

    /** Messages are one line of bounded length, whatever user text they quote (see {@link #clip}). */
    public Diagnostic {
        message = clip(message);
    }

    /**
     * The message as printed: line breaks, control and formatting characters and unpaired
     * surrogates ({@link Show#isUnsafe}, the same rule as messages about weights files) shown as Java escapes,
     * every run of more than {@link #MAX_WORD} characters without a space cut to its start and
     * its length ({@code 'aaaa...' (5,000,002 characters)}), and the whole cut in the middle past
     * {@link #MAX_MESSAGE} characters. Keeps a diagnostic line well under 1,000 characters even
     * when it quotes a 5 MB name.
     */
    public static String clip(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), 2 * MAX_MESSAGE));
        int i = 0;
        while (i < message.length()) {
            int end = i;
            while (end < message.length() && message.charAt(end) != ' ') {
                end++;
            }
            int length = message.codePointCount(i, end);
            if (length > MAX_WORD) {
                int cut = message.offsetByCodePoints(i, MAX_WORD - 20);
                appendVisible(out, message, i, cut);
                out.append("... (").append(String.format(java.util.Locale.ROOT, "%,d", length))
                        .append(" characters)");
            } else {
                appendVisible(out, message, i, end);
            }
            if (end < message.length()) {
                out.append(' ');
            }
            i = end + 1;
        }
        if (out.length() > MAX_MESSAGE) {
            int head = MAX_MESSAGE * 3 / 4;
            int tail = MAX_MESSAGE / 5;
            String all = out.toString();
            return all.substring(0, head) + " ... " + all.substring(all.length() - tail);
        }
        return out.toString();
    }

    private static void appendVisible(StringBuilder out, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Show.isUnsafe(s, i)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }

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
