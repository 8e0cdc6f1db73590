package dev.striate.maven;

import java.util.List;

/** The text of the build failure: a count, then one {@code file:line:col: error: ...} line per error. */
final class FailureMessage {
    private FailureMessage() {
    }

    static String of(List<String> errors) {
        StringBuilder text = new StringBuilder("Striate found ")
                .append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append(':');
        for (String e : errors) {
            text.append(System.lineSeparator()).append(e);
        }
        return text.toString();
    }
}
