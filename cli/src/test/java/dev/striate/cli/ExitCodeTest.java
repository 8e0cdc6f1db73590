package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Exit codes: 0 ok, 1 user error (short message, no stack trace), 2 internal error (with stack trace). */
class ExitCodeTest {
    @TempDir
    Path tmp;

    private static void assertNoStackTrace(Cli.Run run) {
        assertFalse(run.err().contains("\tat "), "stack trace printed:\n" + run);
        assertFalse(run.err().contains("Exception"), "exception printed:\n" + run);
    }

    @Test
    void unknownOptionIsAUserError() {
        Cli.Run run = Cli.run("compile", "--bogus", "m.cnn");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("error: Unknown option: '--bogus'"), run.err());
        assertTrue(run.err().contains("Try 'striate compile --help' for more information."), run.err());
        assertNoStackTrace(run);
        assertEquals("", run.out());
    }

    @Test
    void missingModelFileArgumentIsAUserError() {
        Cli.Run run = Cli.run("summary");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Missing required parameter: 'MODEL.cnn'"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void badOptionValueIsAUserError() {
        Cli.Run run = Cli.run("init", "m.cnn", "--seed", "many");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--seed"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void unknownCommandIsAUserErrorWithASuggestion() {
        Cli.Run run = Cli.run("complie", "m.cnn");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("compile"), "suggests the right command:\n" + run.err());
        assertNoStackTrace(run);
    }

    @Test
    void noCommandIsAUserError() {
        Cli.Run run = Cli.run();
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("Missing command"), run.err());
        assertTrue(run.err().contains("Usage: striate"), run.err());
    }

    @Test
    void missingModelFileIsADiagnostic() {
        Path missing = tmp.resolve("nope.cnn");
        for (String command : new String[] {"summary", "check", "compile"}) {
            Cli.Run run = Cli.run(command, missing.toString());
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().startsWith(missing + ":"), run.err());
            assertTrue(run.err().contains("error: file not found [E503]"), run.err());
            assertNoStackTrace(run);
        }
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws Exception {
        Path manifest = tmp.resolve("m.weights.json");
        Files.writeString(manifest, "{ \"keep\": true }");
        Cli.Run run = Cli.run("init", tmp.resolve("m.cnn").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("already exists; pass --force to overwrite it [E503]"), run.err());
        assertEquals("{ \"keep\": true }", Files.readString(manifest), "file left alone");
        assertNoStackTrace(run);
    }

    @Test
    void everyDiagnosticIsPrintedOnItsOwnLine() {
        CompileException ex = new CompileException(List.of(
                Diagnostic.error(ErrorCode.UNKNOWN_OP, new SourcePos("m.cnn", 3, 5), "unknown layer 'conv3d'"),
                Diagnostic.warning(ErrorCode.UNUSED_VALUE, new SourcePos("m.cnn", 4, 1), "'h' is never used"),
                Diagnostic.error(ErrorCode.KERNEL_TOO_LARGE, new SourcePos("m.cnn", 7, 9), "window too large")));
        Cli.Run run = runThrowing(ex);
        assertEquals(1, run.exitCode());
        assertEquals("m.cnn:3:5: error: unknown layer 'conv3d' [E101]\n"
                + "m.cnn:4:1: warning: 'h' is never used [E206]\n"
                + "m.cnn:7:9: error: window too large [E302]\n"
                + "2 errors\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void anyOtherExceptionIsAnInternalErrorWithStackTrace() {
        Cli.Run run = runThrowing(new IllegalStateException("the backend lost a tensor"));
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("internal error: java.lang.IllegalStateException: the backend lost a tensor\n"),
                run.err());
        assertTrue(run.err().contains("\tat dev.striate.cli.ExitCodeTest."), run.err());
        assertTrue(run.err().contains("This is a bug in Striate. Please report it"), run.err());
    }

    /** A command that fails with the given exception, run with the CLI's error handling. */
    @Command(name = "throws")
    static final class Throws implements Callable<Integer> {
        private final RuntimeException failure;

        Throws(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private static Cli.Run runThrowing(RuntimeException failure) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ErrorHandler handler = new ErrorHandler();
        int code = new CommandLine(new Throws(failure))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler)
                .execute();
        return new Cli.Run(code, out.toString(), err.toString());
    }
}
