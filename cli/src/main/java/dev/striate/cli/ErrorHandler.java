package dev.striate.cli;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into exit codes: bad options and {@link CompileException}s are user errors
 * (exit 1, short messages, no stack trace); any other exception is an internal error (exit 2,
 * with the stack trace and a request to report it).
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    /** Diagnostics printed for one failure; a file with 100,000 bad lines gets these and a count. */
    static final int MAX_PRINTED = 200;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USER_ERROR;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof CompileException ce) {
            printDiagnostics(ce, err);
            return ExitCodes.USER_ERROR;
        }
        err.println("internal error: " + ex);
        ex.printStackTrace(err);
        err.println("This is a bug in Striate. Please report it with the command line above, "
                + "the model file and this stack trace.");
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }

    /** Prints each diagnostic on its own line, as {@code file:line:col: error: message [E302]}. */
    static void printDiagnostics(CompileException ex, PrintWriter err) {
        int shown = 0;
        for (Diagnostic d : ex.diagnostics()) {
            if (shown++ == MAX_PRINTED) {
                err.println("... and " + (ex.diagnostics().size() - MAX_PRINTED) + " more (the first "
                        + MAX_PRINTED + " are shown)");
                break;
            }
            err.println(d.format());
        }
        if (ex.diagnostics().stream().anyMatch(d -> d.code() == ErrorCode.NO_MODEL)) {
            err.println("hint: pick the model with --model NAME");
        }
        long errors = ex.diagnostics().stream().filter(Diagnostic::isError).count();
        if (errors > 1) {
            err.println(errors + " errors");
        }
        err.flush();
    }
}
