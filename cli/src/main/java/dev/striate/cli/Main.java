package dev.striate.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code striate} command line: a thin shell of subcommands over the compiler facade
 * {@link dev.striate.Compiler}. Exit codes: 0 success, 1 user error, 2 internal error.
 */
@Command(name = "striate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Compiles convolutional neural networks written in the Striate language (.cnn) "
                + "into plain, standalone Java.",
        subcommands = {CompileCommand.class, ImportCommand.class, SummaryCommand.class, CheckCommand.class, InitCommand.class,
                DemoCommand.class, DataCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                ShowCommand.class, ReportCommand.class, ExportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:user error (bad model, weights or options)",
                "2:internal error (a bug in Striate: please report it)"},
        footerHeading = "%nExamples:%n",
        footer = {"  striate demo",
                "  striate summary examples/mnist/seed_cnn.cnn",
                "  striate init examples/mnist/seed_cnn.cnn --seed 42 --out w.weights.json",
                "  striate compile examples/mnist/seed_cnn.cnn -p com.acme -o src/main/java",
                "  striate import model.onnx && striate compile model.cnn",
                "  striate compile model.keras -p com.acme -o src/main/java",
                "  striate export --onnx examples/mnist/lenet5.cnn",
                "  striate data mnist",
                "  striate train examples/mnist/seed_cnn.cnn --data mnist --out w.weights.json",
                "  striate evaluate examples/mnist/seed_cnn.cnn --data mnist",
                "  striate show filters examples/sobel/sobel.cnn -o filters.png",
                "  striate show history train.csv -o curves.png",
                "  striate report examples/mnist/seed_cnn.cnn --data mnist -o report.html"})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: print the usage to stderr, as a usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()) + ".");
        spec.commandLine().usage(err);
        return ExitCodes.USER_ERROR;
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        if (VectorRelaunch.wanted(args)) {
            System.exit(VectorRelaunch.run(args));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line: streams, exit codes and error handlers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        ErrorHandler handler = new ErrorHandler();
        return new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(handler)
                .setExecutionExceptionHandler(handler);
    }
}
