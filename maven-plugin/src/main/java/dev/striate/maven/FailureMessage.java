package dev.striate.maven;

import dev.striate.diag.Diagnostic;
import java.util.List;

/**
 * The text of the build failure: how many errors, and where the first is. The errors themselves
 * were logged once each as they were found, so the failure does not repeat them.
 */
final class FailureMessage {
    private FailureMessage() {
    }

    static String of(List<Diagnostic> errors) {
        String where = errors.get(0).pos().toString();
        if (errors.size() == 1) {
            return "Striate found 1 error, in " + where + " (logged above)";
        }
        return "Striate found " + errors.size() + " errors, the first in " + where + " (logged above)";
    }
}
