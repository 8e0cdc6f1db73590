package dev.striate.cli;

import dev.striate.data.Dataset;
import dev.striate.data.ImageShape;
import dev.striate.data.Shuffle;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.train.ImageTargets;
import dev.striate.train.Predictor;
import dev.striate.training.ModelRecipe;
import dev.striate.training.ShippedClass;
import dev.striate.training.TrainChecks;
import dev.striate.viz.ImageGrid;
import dev.striate.viz.Pictures;
import dev.striate.viz.Tile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code striate show reconstructions} draws for an image-to-image model ({@code target = image}):
 * some test images as {@code striate evaluate} gives them to the class {@code striate compile} ships
 * (normalized as in training and, for a denoising model, with the noise evaluation draws:
 * {@link ImageTargets#prepareEvaluation}), that class's outputs for them, and their targets (the
 * clean images times the target scale). All three are in the targets' units.
 *
 * @param indices the test images shown, by their index in the test set
 * @param shape   the input's (and output's) shape, {@code [C, H, W]}
 * @param inputs  the model's inputs for them, times the target scale, one image after the other
 * @param outputs the shipped class's outputs
 * @param targets the targets the loss compares the outputs with
 */
record Reconstructions(int[] indices, int[] shape, float[] inputs, float[] outputs, float[] targets) {
    /**
     * Refuses (E703) a model that is not an autoencoder: one {@code [1 | 3, H, W]} image input, an output
     * of the input's shape (or flat of its size, read channel-major as training compares it; at the output
     * layer's position) and a train block with {@code target = image} (at the block); then refuses (E706)
     * a picture of {@code count} such images over {@link ImageGrid#MAX_PIXELS} or {@link Tile#MAX_SIDE}.
     */
    static void check(ModelRecipe recipe, Path source, int count) {
        Graph g = recipe.graph();
        Shape in = ShowModel.imageInput(g, source);
        Node out = g.node(g.outputs().get(0));
        Shape shape = out.shape();
        if (g.outputs().size() != 1 || !shape.equals(in) && !(shape.rank() == 1 && shape.size() == in.size())) {
            throw refused(position(out, source), "reconstructions need a model whose output is an image of its "
                    + "input's shape " + in + " (or " + in.size() + " values); model " + g.name() + " outputs " + shape
                    + " at layer '" + out.name() + "'" + (shape.size() < in.size() ? ", like a classifier" : ""));
        }
        if (recipe.settings().imageTargets() == null) {
            throw refused(recipe.blockPos(), "reconstructions are drawn against the image targets the model is "
                    + "trained with, but " + (recipe.hasBlock() ? "its train block does not set" : "the file has no "
                    + "train block for model " + g.name() + " with") + " target = image (e.g. target = image(scale=1/255))");
        }
        if (in.height() > Tile.MAX_SIDE || in.width() > Tile.MAX_SIDE
                || 3L * count * in.height() * in.width() > ImageGrid.MAX_PIXELS) {
            throw ShowModel.error(ErrorCode.SHOW_TOO_LARGE, source.toString(), "three rows of " + count + " images of "
                    + in + " would be over " + ImageGrid.MAX_PIXELS + " pixels (or a side over " + Tile.MAX_SIDE
                    + "): show fewer with --count");
        }
    }

    private static CompileException refused(SourcePos pos, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.SHOW_NOT_IMAGE, pos, message));
    }

    private static SourcePos position(Node node, Path source) {
        SourcePos pos = node.pos();
        return pos == null || pos.line() < 1 ? new SourcePos(source.toString(), 0, 0) : pos;
    }

    /**
     * The test images to show: the first {@code count} of {@code size}, or with {@code seed} (null for
     * none) {@code count} drawn without replacement by {@link Shuffle#permutation}, in increasing order;
     * never more than {@code size}.
     */
    static int[] choose(int size, int count, Long seed) {
        int n = Math.min(size, count);
        if (seed == null) {
            int[] first = new int[n];
            Arrays.setAll(first, i -> i);
            return first;
        }
        int[] drawn = Arrays.copyOf(Shuffle.permutation(size, seed), n);
        Arrays.sort(drawn);
        return drawn;
    }

    /**
     * Runs {@code shipped} (the class {@code striate evaluate} runs for {@code set}) on the test images
     * {@code indices} of {@code set}, made into inputs and targets as evaluation makes them.
     */
    static Reconstructions compute(TestSet set, ShippedClass shipped, int[] indices) {
        Dataset images = set.images();
        ImageShape shape = images.shape();
        int size = shape.size();
        int m = indices.length;
        float[] inputs = new float[m * size];
        for (int i = 0; i < m; i++) {
            images.copyImage(indices[i], inputs, i * size);
            if (set.normalization != null) {
                set.normalization.apply(inputs, i * size, shape);
            }
        }
        float[] targets = new float[m * size];
        ImageTargets image = set.recipe.settings().imageTargets();
        image.prepareEvaluation(inputs, targets, m, size, set.recipe.settings().seed(), indices, 0);
        Predictor predictor = shipped.newInstance();
        float[] outputs = new float[m * size];
        float[] in = new float[size];
        float[] out = new float[size];
        for (int i = 0; i < m; i++) {
            System.arraycopy(inputs, i * size, in, 0, size);
            predictor.predict(in, out);
            System.arraycopy(out, 0, outputs, i * size, size);
        }
        float scale = (float) image.scale();
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] *= scale;
        }
        return new Reconstructions(indices.clone(), new int[] {shape.channels(), shape.height(), shape.width()},
                inputs, outputs, targets);
    }

    /**
     * The picture: a column per test image; rows: the input, the reconstruction, the target, drawn from
     * the lowest (black) to the highest (white) target of pixels 0..255 ({@link TrainChecks#targetRange}:
     * {@code [0, 1]} for {@code target = image(scale=1/255)}), values outside clipped to it.
     */
    ImageGrid picture(TestSet set) {
        ImageTargets image = set.recipe.settings().imageTargets();
        double[] range = TrainChecks.targetRange(image, set.normalization);
        String units = String.format(Locale.ROOT, " (%.3g black .. %.3g white)", range[0], range[1]);
        String input = image.noisy() ? String.format(Locale.ROOT, "noisy input, as evaluate draws it (gaussian std "
                + "%.3g, seed %d)", image.noiseStd(), set.recipe.settings().seed()) : "input";
        List<String> titles = List.of(input + ", test images " + list(indices) + units,
                "reconstruction: " + set.bound.name() + "'s output",
                String.format(Locale.ROOT, "target: the clean image x %.4g", image.scale()));
        return Pictures.imageRows(shape, indices.length, (float) range[0], (float) range[1], titles,
                List.of(inputs, outputs, targets));
    }

    /** {@code 0..7} for consecutive indices, else {@code 3, 17, 42}. */
    private static String list(int[] indices) {
        boolean consecutive = indices.length > 2;
        for (int i = 1; i < indices.length; i++) {
            consecutive &= indices[i] == indices[i - 1] + 1;
        }
        if (consecutive) {
            return indices[0] + ".." + indices[indices.length - 1];
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < indices.length; i++) {
            sb.append(i > 0 ? ", " : "").append(indices[i]);
        }
        return sb.toString();
    }
}
