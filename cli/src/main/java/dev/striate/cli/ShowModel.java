package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.backend.train.LayerProbe;
import dev.striate.data.ColorMode;
import dev.striate.data.Dataset;
import dev.striate.data.ImageFile;
import dev.striate.data.ImageShape;
import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.report.Charts;
import dev.striate.train.ReluBackward;
import dev.striate.training.ModelRecipe;
import dev.striate.training.NormalizeSpec;
import dev.striate.training.TrainingSetup;
import dev.striate.viz.ImageGrid;
import dev.striate.weights.Show;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the {@code striate show} commands share: the model with its weights bound, its input as an
 * image shape, the normalization its training applied to pixels, and the checks on what comes
 * from the command line (layer names, image files, the output path), each failing with its
 * E70x code. Pixels are {@code 0..255}, channel-major, as {@code predict} reads them.
 */
final class ShowModel {
    /** The largest image file read, checked before decoding. */
    static final long MAX_IMAGE_BYTES = 64L << 20;
    /** The longest layer name accepted on the command line (as the language's names). */
    static final int MAX_NAME = 256;

    private final Path source;
    private final ModelRecipe recipe;
    private final Graph bound;
    private final Normalization normalization;

    private ShowModel(Path source, ModelRecipe recipe, Graph bound, Normalization normalization) {
        this.source = source;
        this.recipe = recipe;
        this.bound = bound;
        this.normalization = normalization;
    }

    /** Loads the model of {@code model} with the weights {@code weights} names (warnings to {@code err}). */
    static ShowModel load(ModelArgs model, WeightsOption weights, PrintWriter err) {
        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(model.source(), model.modelName(), model.limits(), diagnostics);
        Graph bound = Compiler.bindWeights(recipe.graph(), weights.resolve(model.source()),
                WeightsFile.ReadLimits.of(model.limits().maxWeightsBytes()), diagnostics);
        Reports.warnings(diagnostics, err);
        Normalization normalization;
        NormalizeSpec spec = recipe.settings().normalize();
        if (bound.pixelNormalization() != null) {
            normalization = TrainingSetup.normalization(bound, recipe.settings(), null, recipe.blockPos());
        } else if (spec.kind() == NormalizeSpec.Kind.FIT) {
            throw new CompileException(Diagnostic.error(ErrorCode.UNRECORDED_NORMALIZATION, recipe.blockPos(),
                    "the train block fits the normalization to the data, but the weights do not record it"));
        } else {
            normalization = spec.build(null, recipe.inputShape().channels());
        }
        return new ShowModel(model.source(), recipe, bound, normalization);
    }

    Graph graph() {
        return bound;
    }

    ModelRecipe recipe() {
        return recipe;
    }

    /** The model's input, which must be an image: {@code [1, H, W]} or {@code [3, H, W]}. */
    Shape input() {
        return imageInput(bound, source);
    }

    /** The input of {@code graph} (read from {@code source}), refused (E703) unless one {@code [1 | 3, H, W]} image. */
    static Shape imageInput(Graph graph, Path source) {
        Shape in = graph.inputs().get(0).shape();
        if (graph.inputs().size() != 1 || in.rank() != 3 || in.channels() != 1 && in.channels() != 3) {
            throw error(ErrorCode.SHOW_NOT_IMAGE, source.toString(), "pictures need a model with one image input, "
                    + "[1, H, W] (gray) or [3, H, W] (RGB); this one reads " + in);
        }
        return in;
    }

    /**
     * The images of {@code set} (from {@code --data data}), refused (E715) unless of the model's input
     * shape {@code in}.
     */
    static void checkDataShape(Dataset set, Shape in, String data) {
        ImageShape images = set.shape();
        if (images.channels() != in.channels() || images.height() != in.height() || images.width() != in.width()) {
            throw error(ErrorCode.SHOW_DATA_SHAPE, "--data", "the images of " + Show.text(data, 80) + " are "
                    + images.channels() + " x " + images.height() + " x " + images.width() + ", the model reads " + in
                    + " (IDX files and MNIST are not resized; an image folder is)");
        }
    }

    /** The names of the model's layers (every node but the input), in order. */
    List<String> layers() {
        return bound.nodes().stream().filter(n -> !(n.op() instanceof Input)).map(Node::name).toList();
    }

    /**
     * Layers whose output is a [C, H, W] map worth a picture: not the input, not a per-channel affine
     * input op (rescale, normalize: the input again, rescaled) and not an inference view (dropout:
     * its input's values), asked through the ops' own properties.
     */
    List<String> mapLayers() {
        return bound.nodes().stream().filter(n -> !(n.op() instanceof Input) && !(n.op() instanceof ChannelAffineOp)
                && !n.op().isInferenceView() && n.shape().rank() == 3)
                .map(Node::name).toList();
    }

    /** {@code name} (given with {@code flag}) checked to be printable, short and a layer of the model. */
    String layer(String name, String flag) {
        if (name.isEmpty() || name.length() > MAX_NAME || !Show.text(name, MAX_NAME + 1).equals(name)) {
            throw error(ErrorCode.SHOW_UNKNOWN_LAYER, flag, "'" + Show.text(name, 40)
                    + "' is not a layer name (printable text of 1 to " + MAX_NAME + " characters)");
        }
        if (!layers().contains(name)) {
            List<String> all = layers();
            throw error(ErrorCode.SHOW_UNKNOWN_LAYER, flag, "no layer '" + name + "' in model " + bound.name()
                    + "; its layers: " + String.join(", ", all.subList(0, Math.min(all.size(), 40)))
                    + (all.size() > 40 ? ", ..." : ""));
        }
        return name;
    }

    /** The probe of {@code layer} with the ReLU rule {@code rule} (see {@link LayerProbe}). */
    LayerProbe probe(String layer, boolean logits, ReluBackward rule) {
        try {
            return LayerProbe.of(bound, layer, logits, rule);
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.SHOW_UNKNOWN_LAYER, layer, "layer '" + layer + "' cannot be shown: " + e.getMessage());
        }
    }

    /** An image file read as {@code predict} reads it: converted and resized to the model's input, pixels 0..255. */
    float[] readImage(Path file) {
        Shape in = input();
        try {
            if (!Files.isRegularFile(file)) {
                throw error(ErrorCode.SHOW_BAD_IMAGE, file.toString(), "no such image file");
            }
            if (Files.size(file) > MAX_IMAGE_BYTES) {
                throw error(ErrorCode.SHOW_BAD_IMAGE, file.toString(), "the image file is over " + MAX_IMAGE_BYTES
                        + " bytes");
            }
            return ImageFile.read(file, in.channels() == 1 ? ColorMode.GRAY : ColorMode.RGB, in.height(), in.width());
        } catch (IOException e) {
            throw error(ErrorCode.SHOW_BAD_IMAGE, file.toString(), Show.text(e.getMessage(), 300));
        }
    }

    /** {@code pixels} as the model reads them: normalized as its training normalized them (a new array). */
    float[] normalized(float[] pixels) {
        float[] x = pixels.clone();
        if (normalization != null) {
            Shape in = input();
            normalization.apply(x, 0, new ImageShape(in.channels(), in.height(), in.width()));
        }
        return x;
    }

    /** Checks {@code -o} as every picture output is checked ({@link Charts#checkOutput}, E705). */
    static Path output(Path file) {
        Charts.checkOutput(file, ".png", "-o");
        return file;
    }

    /** Renders {@code grid} and writes it to {@code file} atomically; prints what was written. */
    static void write(ImageGrid grid, Path file, PrintWriter out) {
        ImageGrid.Picture picture;
        try {
            picture = grid.render();
        } catch (IllegalArgumentException e) {
            throw error(ErrorCode.SHOW_TOO_LARGE, file.toString(), e.getMessage());
        }
        Charts.write(file, ImageGrid.png(picture.image()));
        out.println("wrote " + Show.text(file.toString(), Integer.MAX_VALUE) + " (" + picture.image().getWidth() + " x "
                + picture.image().getHeight() + " pixels)");
        out.flush();
    }

    static CompileException error(ErrorCode code, String where, String message) {
        return new CompileException(Diagnostic.error(code, new SourcePos(where, 0, 0), message));
    }

    /** Refuses an option value out of range (E707) unless {@code ok}. */
    static void check(boolean ok, String flag, String message) {
        if (!ok) {
            throw error(ErrorCode.SHOW_OPTION, flag, message);
        }
    }
}
