package dev.striate.cli;

import dev.striate.ir.Activation;
import dev.striate.report.Charts;
import dev.striate.report.ConfusionChart;
import dev.striate.report.HistoryChart;
import dev.striate.report.HistoryReader;
import dev.striate.report.ModelFigures;
import dev.striate.report.ReportFigures;
import dev.striate.report.ReportPage;
import dev.striate.report.Thumbnails;
import dev.striate.train.ConfusionMatrix;
import dev.striate.train.Evaluation;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate report}: evaluates a model on a test set as {@code striate evaluate} does and
 * writes one self-contained HTML page ({@link ReportPage}): the training curves (with
 * {@code --history}), the confusion matrix, the most confidently wrong test images, the
 * per-class accuracy and the layer table.
 */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = "Writes one self-contained HTML page about a trained model: training curves (from "
                + "--history), the confusion matrix, the most confidently wrong test images, per-class accuracy "
                + "and the layer table. Pictures are inline; the page runs no script. The test set is loaded and "
                + "normalized as striate evaluate does.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate report examples/mnist/seed_cnn.cnn --data mnist -o report.html",
                "  striate report model.cnn --data images/ --history train.csv -o report.html"})
public final class ReportCommand implements Callable<Integer> {
    /**
     * The sources of pictures of the model's inside, drawn by the code of {@code striate show
     * filters} and {@code show maps}; a further picture adds its {@link ReportFigures} here.
     */
    static final List<ReportFigures> FIGURES = List.of(ModelFigures.FILTERS, ModelFigures.MAPS);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Mixin
    TestDataOptions test;

    @Option(names = "--history", paramLabel = "RUN.csv",
            description = "The training log (striate train --log) whose curves the page shows.")
    Path history;

    @Option(names = "--wrong", paramLabel = "N", defaultValue = "18",
            description = "How many confidently wrong test images to show (default: ${DEFAULT-VALUE}).")
    int wrongCount;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.html", required = true, description = "The page to write.")
    Path out;

    @Override
    public Integer call() {
        int threads = test.threads(spec.commandLine());
        if (wrongCount < 0 || wrongCount > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--wrong must be in 0..1000");
        }
        Charts.checkOutput(out, ".html", "-o");
        BufferedImage curves = history == null ? null
                : HistoryChart.render(HistoryReader.read(history), ShowHistoryCommand.title(history));
        TestSet set = TestSet.load(model, weights, test.data, spec.commandLine().getErr());
        Activation last = set.bound.node(set.bound.outputs().get(0)).op().appliedActivation();
        ConfidentlyWrong wrong = new ConfidentlyWrong(last instanceof Activation.Softmax);
        Evaluation evaluation = set.evaluate(threads, wrong);
        ConfusionMatrix matrix = evaluation.matrix();
        List<ReportPage.Wrong> shown = new ArrayList<>();
        for (ConfidentlyWrong.Entry e : wrong.top(wrongCount)) {
            shown.add(new ReportPage.Wrong(e.index(), matrix.classNames().get(e.actual()),
                    matrix.classNames().get(e.predicted()), e.confidence(),
                    Thumbnails.of(set.images().image(e.index()), set.images().shape())));
        }
        ReportFigures.Context context = new ReportFigures.Context(set.bound, set.images(), set.normalization);
        List<ReportFigures.Figure> figures = new ArrayList<>();
        FIGURES.forEach(f -> figures.addAll(f.figures(context)));
        String accuracy = evaluation.report().lines().findFirst().orElse("");
        ReportPage.Content content = new ReportPage.Content(set.recipe.graph().name(),
                List.of(set.heading(), accuracy), curves, ConfusionChart.render(matrix, set.recipe.graph().name()),
                shown, wrong.count(), figures, List.of(classTable(matrix), layerTable(ModelSummary.of(set.bound))));
        Charts.write(out, ReportPage.of(content).html().getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().println(set.heading());
        spec.commandLine().getOut().println(accuracy);
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private static ReportPage.Table classTable(ConfusionMatrix m) {
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < m.classCount(); c++) {
            double a = m.classAccuracy(c);
            rows.add(List.of(m.classNames().get(c), Long.toString(m.support(c)), Long.toString(m.count(c, c)),
                    Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * a)));
        }
        return new ReportPage.Table("Per-class accuracy", List.of("class", "images", "correct", "accuracy"), rows);
    }

    private static ReportPage.Table layerTable(ModelSummary summary) {
        List<List<String>> rows = new ArrayList<>();
        for (ModelSummary.Row r : summary.rows()) {
            rows.add(List.of(r.name(), r.kind(), r.shape(), String.format(Locale.ROOT, "%,d", r.params())));
        }
        rows.add(List.of("total", "", "", String.format(Locale.ROOT, "%,d", summary.totalParams())));
        return new ReportPage.Table("Layers", List.of("layer", "type", "output shape", "parameters"), rows);
    }
}
