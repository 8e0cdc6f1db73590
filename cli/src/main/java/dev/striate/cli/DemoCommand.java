package dev.striate.cli;

import dev.striate.cli.demo.ExampleFiles;
import dev.striate.cli.demo.JavaSourceCompiler;
import dev.striate.cli.demo.SobelDemo;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code striate demo}: runs {@link SobelDemo} on the bundled example and prints it. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = "The quick start: compiles the bundled Sobel edge detector (examples/sobel) to Java, "
                + "compiles that Java in-process with --release 11 and an empty class path, runs it on a "
                + "drawn picture and prints the input and the edges as text. Needs a JDK.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate demo",
                "  striate demo --out /tmp/sobel-demo"})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Where to write the generated files (default: a new temporary directory).")
    Path out;

    @Option(names = "--examples", paramLabel = "DIR",
            description = "The examples directory (default: found beside the striate jar).")
    Path examples;

    @Override
    public Integer call() throws Exception {
        if (!JavaSourceCompiler.available()) {
            throw new CompileException(Diagnostic.error(ErrorCode.UNSUPPORTED, SourcePos.NONE,
                    "the demo compiles Java in-process and needs a JDK; this Java runtime has no compiler"));
        }
        Path dir = ExampleFiles.locate(examples);
        Path work = out != null ? out : Files.createTempDirectory("striate-demo-");
        SobelDemo.print(SobelDemo.run(dir, work), dir, spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
