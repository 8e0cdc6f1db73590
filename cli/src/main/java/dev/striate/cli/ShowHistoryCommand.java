package dev.striate.cli;

import dev.striate.report.Charts;
import dev.striate.report.History;
import dev.striate.report.HistoryChart;
import dev.striate.report.HistoryReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate show history}: the training curves of a {@code striate train --log} file as a PNG. */
@Command(name = "history",
        mixinStandardHelpOptions = true,
        description = "Draws the loss and accuracy curves of a training run, training against validation, "
                + "from the CSV log striate train --log writes (or its .jsonl twin), as a 720 x 540 PNG. "
                + "Test-set columns are never drawn: choosing epochs by test accuracy leaks the test set.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate train model.cnn --data mnist --log train.csv",
                "  striate show history train.csv -o curves.png"})
public final class ShowHistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN.csv", description = "The history: a CSV log or its .jsonl twin.")
    Path history;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.png", required = true, description = "The picture to write.")
    Path out;

    @Override
    public Integer call() {
        Charts.checkOutput(out, ".png", "-o");
        History read = HistoryReader.read(history);
        Charts.write(out, Charts.png(HistoryChart.render(read, title(history))));
        spec.commandLine().getOut().println("wrote " + out + " (" + read.epochs().size() + " epochs"
                + (read.hasValidation() ? ", training and validation)" : ", training only: no validation split)"));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The chart title for a history file: its name. */
    static String title(Path history) {
        Path name = history.getFileName();
        return "training history: " + (name == null ? history : name);
    }
}
