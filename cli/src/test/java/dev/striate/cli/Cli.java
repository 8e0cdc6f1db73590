package dev.striate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line in-process and captures its exit code and both streams. */
final class Cli {
    /** The repository's bundled examples (tests run in the cli module directory). */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static String example(String relative) {
        return EXAMPLES.resolve(relative).toString();
    }
}
