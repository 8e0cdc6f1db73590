package dev.striate.cli;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.report.Charts;
import dev.striate.report.ConfusionChart;
import dev.striate.train.Evaluation;
import dev.striate.train.Evaluator;
import dev.striate.training.ShippedClass;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate evaluate}: runs the class {@code striate compile} writes for a model and its
 * weights (compiled in process: the code that ships, batch norm on running statistics, no
 * dropout) over a test set and prints the accuracy, per-class accuracy and the confusion matrix.
 */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Reports a model's accuracy, per-class accuracy and confusion matrix on a test set "
                + "(MNIST's 10,000 test images, a folder's t10k IDX files or its test/ images). "
                + "The images are normalized as in training: as the weights record it, else by the train block's "
                + "normalize setting. "
                + "Class folders are matched to the model's labels (declared, or recorded in the weights "
                + "by striate train) by name; a folder may hold some of the classes. "
                + "With --ensemble, evaluates the class 'striate compile MODEL.cnn MORE.cnn... --ensemble NAME' "
                + "would ship (the other models given with --more-models), e.g. the snapshots of one run.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate evaluate examples/mnist/seed_cnn.cnn --data mnist",
                "  striate evaluate model.cnn --weights trained.weights.json --data images/",
                "  striate evaluate examples/mnist/seed_cnn.cnn --data mnist --plot cm.png",
                "  striate evaluate m.cnn --data fashion-mnist --ensemble Snaps \\",
                "      --more-models m.cnn --member-weights \\",
                "      m.snapshot-2.weights.json,m.snapshot-3.weights.json"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Mixin
    TestDataOptions test;

    @Mixin
    MoreModels moreModels;

    @Mixin
    EnsembleOptions ensembleOptions;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Also write each image's outputs to FILE as CSV: index, label, predicted class, outputs.")
    Path predictions;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Also draw the confusion matrix as a PNG: cells coloured by the fraction of the actual "
                    + "class, labelled with their counts (up to 30 classes).")
    Path plot;

    @Override
    public Integer call() {
        int threads = test.threads(spec.commandLine());
        if (plot != null) {
            Charts.checkOutput(plot, ".png", "--plot");
        }
        ensembleOptions.check(spec, null, weights, moreModels.count(), "evaluated together");
        boolean ensemble = ensembleOptions.enabled();
        // an ensemble is scored as its first member (test set, normalization, loss): the others agree with it
        TestSet set = TestSet.load(model, ensemble && !ensembleOptions.memberWeights.isEmpty()
                ? ensembleOptions.memberWeights.get(0) : weights.resolve(model.source()), test.data,
                spec.commandLine().getErr());
        ShippedClass shipped = !ensemble ? ShippedClass.compile(set.bound)
                : ShippedClassifier.compileEnsemble(moreModels.request(ensembleOptions, model));
        StringBuilder csv = predictions == null ? null : new StringBuilder("index,label,predicted");
        for (int j = 0; csv != null && j < set.outputs(); j++) {
            csv.append(",output_").append(j);
        }
        Evaluator.OutputListener listener = csv == null ? null : (index, label, outputs, offset, k) -> {
            csv.append('\n').append(index).append(',').append(label).append(',').append(argmax(outputs, offset, k));
            for (int j = 0; j < k; j++) {
                csv.append(',').append(outputs[offset + j]);
            }
        };
        Evaluation evaluation = set.evaluate(shipped, threads, listener);
        byte[] picture = plot == null ? null
                : Charts.png(ConfusionChart.render(evaluation.matrix(), set.recipe.graph().name()));
        if (csv != null) {
            write(predictions, csv.append('\n').toString());
        }
        if (picture != null) {
            Charts.write(plot, picture);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(ensemble ? "ensemble " + ensembleOptions.ensemble + " of " + moreModels.count()
                + " models, the first " + set.heading() : set.heading());
        out.println(evaluation.report());
        out.flush();
        return ExitCodes.OK;
    }

    /** The first index of the largest of {@code k} outputs, as the class's {@code classify} picks it. */
    static int argmax(float[] outputs, int offset, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (outputs[offset + j] > outputs[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(file.toString(), 0, 0),
                    "cannot write: " + e.getMessage()));
        }
    }
}
