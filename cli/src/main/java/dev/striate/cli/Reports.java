package dev.striate.cli;

import dev.striate.CompileResult;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** How commands print what happened: written files, warnings and counts. */
final class Reports {
    private Reports() {
    }

    /** Prints each warning as {@code file:line:col: warning: message [code]}. */
    static void warnings(List<Diagnostic> warnings, PrintWriter err) {
        for (Diagnostic d : warnings) {
            err.println(d.format());
        }
        err.flush();
    }

    /** Prints the warnings collected in {@code diagnostics} (errors are thrown, not collected here). */
    static void warnings(Diagnostics diagnostics, PrintWriter err) {
        warnings(diagnostics.sorted().stream().filter(d -> !d.isError()).toList(), err);
    }

    /** One line per output file ({@code wrote} or {@code unchanged}), then the totals. */
    static void compiled(CompileResult result, PrintWriter out) {
        compiled(result, "model " + result.graph().name(), out);
    }

    /** {@link #compiled(CompileResult, PrintWriter)} for {@code what} was compiled (e.g. an ensemble). */
    static void compiled(CompileResult result, String what, PrintWriter out) {
        for (Path p : result.written()) {
            out.println("wrote     " + p);
        }
        for (Path p : result.unchanged()) {
            out.println("unchanged " + p);
        }
        out.println("compiled " + what + ": " + result.written().size() + " written, "
                + result.unchanged().size() + " unchanged");
        out.flush();
    }

    /** {@code 93,322}: the thousands-separated form used in every count we print. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 364.6 KiB}: a byte count for people. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
    }
}
