package dev.striate.cli;

import dev.striate.backend.train.LayerProbe;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Shape;
import dev.striate.train.ReluBackward;
import dev.striate.viz.Pictures;
import dev.striate.weights.Show;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code striate show saliency}: d (a class's score) / d input for one image ({@link Pictures#saliency}). */
@Command(name = "saliency",
        mixinStandardHelpOptions = true,
        description = "Draws an image and the gradient of a class's score (the output before a final softmax or "
                + "sigmoid) with respect to the image's pixels, as the generated backward pass computes it: where "
                + "changing a pixel would change the score most. The class is the predicted one unless --class names "
                + "another.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate show saliency examples/mnist/seed_cnn.cnn digit.png -o saliency.png",
                "  striate show saliency examples/mnist/seed_cnn.cnn digit.png --class 7 --rule guided -o s.png"})
public final class ShowSaliencyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ShowArgs args;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "A PNG or JPEG image.")
    Path image;

    @Option(names = "--class", paramLabel = "K|LABEL",
            description = "The output to differentiate: its index or label (default: the largest output).")
    String target;

    @Option(names = "--rule", paramLabel = "RULE", defaultValue = "gradient",
            description = "How the backward pass goes through a ReLU: gradient (the true derivative), deconvnet or "
                    + "guided (default: ${DEFAULT-VALUE}).")
    ReluBackward rule;

    @Override
    public Integer call() {
        Path file = args.output();
        ShowModel m = args.load(spec);
        Shape in = m.input();
        float[] pixels = m.readImage(image);
        float[] x = m.normalized(pixels);
        String outputName = m.graph().outputs().get(0);
        LayerProbe probe = m.probe(outputName, true, rule);
        float[] scores = probe.activations(x);
        int k = target == null ? TopK.of(scores, 1).get(0) : classIndex(m.graph().labels(), scores.length);
        float[] signal = new float[scores.length];
        signal[k] = 1f;
        float[] gradient = probe.inputGradient(x, signal);
        List<String> labels = m.graph().labels();
        String what = "score of " + (labels.size() == scores.length ? "'" + labels.get(k) + "'" : "output " + k)
                + (rule == ReluBackward.GRADIENT ? "" : " (" + rule.name().toLowerCase(Locale.ROOT) + ")");
        ShowModel.write(Pictures.saliency(pixels, in.dims(), 0f, 255f, gradient, what), file, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private int classIndex(List<String> labels, int outputs) {
        int byLabel = labels.size() == outputs ? labels.indexOf(target) : -1;
        if (byLabel >= 0) {
            return byLabel;
        }
        try {
            int k = Integer.parseInt(target);
            ShowModel.check(k >= 0 && k < outputs, "--class", "--class must be 0 to " + (outputs - 1) + " or a label");
            return k;
        } catch (NumberFormatException e) {
            throw ShowModel.error(ErrorCode.SHOW_OPTION, "--class", "--class '" + Show.text(target, 40)
                    + "' is neither an output index nor a label");
        }
    }
}
