package dev.striate.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.striate.data.ColorMode;
import dev.striate.data.DataException;
import dev.striate.data.ImageFile;
import dev.striate.data.ImageFolder;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Shape;
import dev.striate.weights.Show;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code striate predict}: runs the class {@code striate compile} would ship for a model and its
 * weights on image files (PNG or JPEG, any size and color type, read as in training by
 * {@link ImageFile}) and prints each one's most likely classes.
 */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        description = "Classifies images with the class striate compile would ship for the model and its weights. "
                + "Each IMAGE is a PNG or JPEG file (any size and color type, CMYK JPEG too); a DIR stands for its "
                + ".png, .jpg and .jpeg files, sorted by name. Images are read exactly as in training: alpha over "
                + "white, converted to the model's channels (gray or RGB), resized bilinearly to its input, "
                + "then normalized as the weights record (the class's predictPixels). "
                + "Prints the top classes with their probabilities (scores when the model does not end in softmax). "
                + "Needs a JDK (the class is compiled in-process). With --ensemble, runs the class "
                + "'striate compile MODEL.cnn MORE.cnn... --ensemble NAME' would ship (the other models are given "
                + "with --more-models, as the positional arguments after MODEL.cnn are images).",
        footerHeading = "%nExamples:%n",
        footer = {"  striate predict examples/mnist/seed_cnn.cnn digit.png",
                "  striate predict model.cnn --weights trained.weights.json photos/ --top 3 --json",
                "  striate predict a.cnn photos/ --ensemble Committee --more-models b.cnn,c.cnn \\",
                "      --ensemble-weights 0.5,0.3,0.2"})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    WeightsOption weights;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images, or folders of images.")
    List<Path> inputs;

    @Mixin
    MoreModels moreModels;

    @Mixin
    EnsembleOptions ensembleOptions;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5",
            description = "How many classes to print per image (default: ${DEFAULT-VALUE}; at most the model's outputs).")
    int top;

    @Option(names = "--json", description = "Print one JSON array: per image its file and top classes (or its error).")
    boolean json;

    /** One image's result: the top classes, or why it could not be read. */
    private record Result(Path file, List<Integer> top, float[] outputs, String error) {
    }

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        }
        ensembleOptions.check(spec, null, weights, moreModels.count(), "run together");
        List<Path> files = files(inputs);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Result> results = new ArrayList<>();
        ShippedClassifier classifier = ensembleOptions.enabled()
                ? ShippedClassifier.loadEnsemble(moreModels.request(ensembleOptions, model))
                : ShippedClassifier.load(model.source(), model.modelName(), weights.resolve(model.source()),
                        model.limits());
        Shape in = classifier.inputShape();
        if (in.rank() != 3 || in.channels() != 1 && in.channels() != 3) {
            throw error(model.source(), "predict reads images for models whose input is [1, H, W] (gray) or "
                    + "[3, H, W] (RGB); this one reads " + in);
        }
        if (!classifier.classifies()) {
            throw error(model.source(), "predict needs a classifier (one flat output of class scores)");
        }
        ColorMode mode = in.channels() == 1 ? ColorMode.GRAY : ColorMode.RGB;
        int k = Math.min(top, classifier.outputs());
        for (Path file : files) {
            try {
                float[] outputs = classifier.predictPixels(ImageFile.read(file, mode, in.height(), in.width()));
                results.add(new Result(file, TopK.of(outputs, k), outputs, null));
            } catch (DataException e) {
                results.add(new Result(file, List.of(), null, e.getMessage()));
            }
        }
        if (json) {
            printJson(results, classifier, out);
        } else {
            printText(results, classifier, out, err);
        }
        out.flush();
        err.flush();
        return results.stream().anyMatch(r -> r.error() != null) ? ExitCodes.USER_ERROR : ExitCodes.OK;
    }

    /** The image files {@code inputs} name: files as given, folders as their image files sorted by name. */
    static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> entries = Files.list(p)) {
                    List<Path> images = entries.filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(f -> Files.isRegularFile(f) && ImageFolder.isImageName(f))
                            .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                            .toList();
                    if (images.isEmpty()) {
                        throw error(p, "the folder has no .png, .jpg or .jpeg files");
                    }
                    files.addAll(images);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw error(p, "no such file or folder");
            }
        }
        return files;
    }

    private static String label(ShippedClassifier c, int k) {
        return c.labels().isEmpty() ? "class " + k : c.labels().get(k);
    }

    private void printText(List<Result> results, ShippedClassifier c, PrintWriter out, PrintWriter err) {
        String what = c.probabilities() ? "" : " (scores: the model does not end in softmax)";
        boolean first = true;
        for (Result r : results) {
            String name = Show.text(r.file().toString(), Integer.MAX_VALUE);
            if (r.error() != null) {
                err.println(Show.text(r.error(), Integer.MAX_VALUE) + " [" + ErrorCode.IO.code() + "]");
                continue;
            }
            out.println(name + ": " + Show.text(label(c, r.top().get(0))) + (first ? what : ""));
            first = false;
            int width = r.top().stream().mapToInt(k -> Show.text(label(c, k)).length()).max().orElse(0);
            for (int k : r.top()) {
                String l = Show.text(label(c, k));
                out.println("  " + l + " ".repeat(width - l.length()) + "  "
                        + String.format(Locale.ROOT, "%.4f", r.outputs()[k]));
            }
        }
    }

    private static void printJson(List<Result> results, ShippedClassifier c, PrintWriter out) throws IOException {
        String field = c.probabilities() ? "probability" : "score";
        try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartArray();
            for (Result r : results) {
                g.writeStartObject();
                g.writeStringField("file", r.file().toString());
                if (r.error() != null) {
                    g.writeStringField("error", r.error());
                } else {
                    g.writeArrayFieldStart("top");
                    for (int k : r.top()) {
                        g.writeStartObject();
                        g.writeNumberField("index", k);
                        g.writeStringField("label", label(c, k));
                        g.writeNumberField(field, r.outputs()[k]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.println();
    }

    private static CompileException error(Path where, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(where.toString(), 0, 0), message));
    }
}
