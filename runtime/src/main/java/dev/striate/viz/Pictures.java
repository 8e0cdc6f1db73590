package dev.striate.viz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of {@code striate show}, from plain arrays (the model-dependent part, computing
 * activations and input gradients, is the compiler's {@code LayerProbe}): a convolution's
 * filters, an input's feature maps, a saliency map, and the inputs that activate a feature map
 * most with their projections back to pixel space. Every signed quantity is drawn with a
 * {@link ColorScale} symmetric around zero and its legend; rows are titled with the layer's name
 * and shape. Shapes are channel-major ({@code [C, H, W]}), as the models' tensors.
 */
public final class Pictures {
    /** The most tiles one picture draws. */
    public static final int MAX_TILES = 16_384;

    private Pictures() {
    }

    /** One layer's output for {@link #maps}: its name, shape ({@code [C, H, W]} or {@code [N]}) and values. */
    public record Layer(String name, int[] shape, float[] values) {
        public Layer {
            shape = shape.clone();
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            if (shape.length != 1 && shape.length != 3 || size != values.length) {
                throw new IllegalArgumentException("layer " + name + ": " + values.length + " values for shape "
                        + shapeText(shape));
            }
        }
    }

    /**
     * An input that activates a feature map strongly: the activation {@code value} at
     * {@code (y, x)} of the map for input number {@code index}, the crop of the input it sees (its
     * receptive field, {@code [C, h, w]} floats) and the projection of that activation back to the
     * same crop.
     */
    public record Hit(float value, int index, int y, int x, int cropHeight, int cropWidth, float[] crop,
                      float[] projection) {
    }

    /**
     * The kernels of a convolution ({@code weight} of shape {@code [out, in, kh, kw]}): with one input
     * channel one tile per filter; with three (and {@code onlyOutput} negative) one colour tile per
     * filter (each channel mid gray at 0, with a {@link ChannelScale} legend); otherwise one tile per (output, input) pair, a line per
     * output, or only output {@code onlyOutput}'s line.
     */
    public static ImageGrid filters(String layer, float[] weight, int out, int in, int kh, int kw, int onlyOutput) {
        long size = (long) out * in * kh * kw;
        if (out < 1 || in < 1 || size != weight.length) {
            throw new IllegalArgumentException(weight.length + " weights for [" + out + ", " + in + ", " + kh + ", " + kw + "]");
        }
        if (onlyOutput >= out) {
            throw new IllegalArgumentException("filter " + onlyOutput + " of " + out);
        }
        String title = layer + " " + shapeText(new int[] {out, in, kh, kw});
        int plane = kh * kw;
        ColorScale scale = ColorScale.spanning(weight);
        List<Tile> tiles = new ArrayList<>();
        if (in == 3 && onlyOutput < 0) {
            for (int o = 0; o < out; o++) {
                tiles.add(Tile.color(weight, o * 3 * plane, kh, kw, -scale.limit(), scale.limit()));
            }
            return checked(new ImageGrid(16).row(title + " as RGB (each channel: mid gray = 0)",
                    new ChannelScale(scale.limit()), tiles), tiles.size());
        }
        int from = onlyOutput < 0 ? 0 : onlyOutput;
        int to = onlyOutput < 0 ? out : onlyOutput + 1;
        checkTiles((long) (to - from) * in);
        for (int o = from; o < to; o++) {
            for (int i = 0; i < in; i++) {
                tiles.add(Tile.of(weight, (o * in + i) * plane, kh, kw, scale));
            }
        }
        String what = onlyOutput >= 0 ? ", filter " + onlyOutput : "";
        return new ImageGrid(in == 1 ? 16 : Math.min(in, 64)).row(title + what, scale, tiles);
    }

    /**
     * An input image and the feature maps of {@code layers} for it: the input in gray (one
     * channel) or colour (three), from {@code lo} (black) to {@code hi}; then a row per layer, a
     * tile per channel, on one symmetric scale per layer.
     */
    public static ImageGrid maps(float[] input, int[] inputShape, float lo, float hi, List<Layer> layers) {
        ImageGrid grid = new ImageGrid(16);
        inputRow(grid, "input " + shapeText(inputShape), input, inputShape, lo, hi);
        long tiles = 1;
        for (Layer l : layers) {
            ColorScale scale = ColorScale.spanning(l.values());
            List<Tile> row = new ArrayList<>();
            if (l.shape().length == 1) {
                row.add(Tile.of(l.values(), 0, 1, l.shape()[0], scale));
            } else {
                int c = l.shape()[0];
                int h = l.shape()[1];
                int w = l.shape()[2];
                tiles += c;
                checkTiles(tiles);
                for (int k = 0; k < c; k++) {
                    row.add(Tile.of(l.values(), k * h * w, h, w, scale));
                }
            }
            grid.row(l.name() + " " + shapeText(l.shape()), scale, row);
        }
        return grid;
    }

    /**
     * A saliency map: the input, then d score / d input, a tile per input channel on one symmetric
     * scale, titled with {@code what} (e.g. the class whose score was differentiated).
     */
    public static ImageGrid saliency(float[] input, int[] inputShape, float lo, float hi, float[] gradient, String what) {
        ImageGrid grid = new ImageGrid(16);
        inputRow(grid, "input " + shapeText(inputShape), input, inputShape, lo, hi);
        int h = inputShape[1];
        int w = inputShape[2];
        ColorScale scale = ColorScale.spanning(gradient);
        List<Tile> row = new ArrayList<>();
        for (int c = 0; c < inputShape[0]; c++) {
            row.add(Tile.of(gradient, c * h * w, h, w, scale));
        }
        return grid.row("d " + what + " / d input " + shapeText(inputShape), scale, row);
    }

    /**
     * Zeiler and Fergus's figure: for each feature map (a row per map, titled
     * {@code "<layer> map <k>"}), the crops of the inputs that activate it most (gray or colour, from
     * {@code lo} to {@code hi}) on the first line, and below each its projection back to pixel
     * space ({@code rule}: how it was projected) on the row's symmetric scale.
     */
    public static ImageGrid activations(String layer, int[] layerShape, int channels, List<Integer> maps,
                                        List<List<Hit>> hits, float lo, float hi, String rule) {
        int top = hits.stream().mapToInt(List::size).max().orElse(1);
        checkTiles(2L * top * maps.size());
        ImageGrid grid = new ImageGrid(Math.max(1, top));
        for (int m = 0; m < maps.size(); m++) {
            List<Hit> list = hits.get(m);
            List<Tile> row = new ArrayList<>();
            int h = list.stream().mapToInt(Hit::cropHeight).max().orElse(1);
            int w = list.stream().mapToInt(Hit::cropWidth).max().orElse(1);
            float limit = 0f;
            for (Hit hit : list) {
                limit = Math.max(limit, ColorScale.spanning(hit.projection()).limit());
                row.add(channels == 3 ? Tile.color(hit.crop(), 0, hit.cropHeight(), hit.cropWidth(), lo, hi)
                        : Tile.gray(hit.crop(), 0, hit.cropHeight(), hit.cropWidth(), lo, hi));
            }
            for (int i = list.size(); i < top; i++) {
                row.add(Tile.gray(new float[h * w], 0, h, w, lo, hi));
            }
            ColorScale scale = new ColorScale(limit);
            for (Hit hit : list) {
                row.add(projection(hit, channels, scale));
            }
            String best = list.isEmpty() ? ", no positive activation"
                    : String.format(Locale.ROOT, ", top %.3g", list.get(0).value());
            grid.row(layer + " " + shapeText(layerShape) + " map " + maps.get(m) + best + " (" + rule + ")", scale, row);
        }
        return grid;
    }

    /**
     * Rows of images, one column per image (an autoencoder's inputs, outputs and targets): row
     * {@code r} is titled {@code titles.get(r)} and shows the {@code n} images of shape
     * {@code [C, H, W]} (C 1: gray, 3: colour) held one after the other in {@code images.get(r)},
     * each value from {@code lo} (black) to {@code hi} (white), clipped to that range (NaN black).
     */
    public static ImageGrid imageRows(int[] shape, int n, float lo, float hi, List<String> titles,
                                      List<float[]> images) {
        if (shape.length != 3 || shape[0] != 1 && shape[0] != 3 || n < 1 || titles.size() != images.size()) {
            throw new IllegalArgumentException(n + " images of shape " + shapeText(shape) + " in " + images.size()
                    + " rows with " + titles.size() + " titles");
        }
        checkTiles((long) n * images.size());
        int size = shape[0] * shape[1] * shape[2];
        ImageGrid grid = new ImageGrid(n);
        for (int r = 0; r < images.size(); r++) {
            float[] row = images.get(r);
            if ((long) n * size != row.length) {
                throw new IllegalArgumentException("row " + r + ": " + row.length + " values for " + n + " images of "
                        + shapeText(shape));
            }
            List<Tile> tiles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tiles.add(imageTile(row, i * size, shape, lo, hi));
            }
            grid.row(titles.get(r), null, tiles);
        }
        return grid;
    }

    /** One image of shape {@code [1 | 3, H, W]} at {@code values[offset ..]}: gray or colour, {@code lo..hi}. */
    private static Tile imageTile(float[] values, int offset, int[] shape, float lo, float hi) {
        return shape[0] == 3 ? Tile.color(values, offset, shape[1], shape[2], lo, hi)
                : Tile.gray(values, offset, shape[1], shape[2], lo, hi);
    }

    /** A projection in one plane: summed over the channels of a colour input. */
    private static Tile projection(Hit hit, int channels, ColorScale scale) {
        int plane = hit.cropHeight() * hit.cropWidth();
        float[] sum = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                sum[i] += hit.projection()[c * plane + i];
            }
        }
        return Tile.of(sum, 0, hit.cropHeight(), hit.cropWidth(), scale);
    }

    private static void inputRow(ImageGrid grid, String title, float[] input, int[] shape, float lo, float hi) {
        if (shape.length != 3 || (long) shape[0] * shape[1] * shape[2] != input.length) {
            throw new IllegalArgumentException(input.length + " input values for shape " + shapeText(shape));
        }
        int h = shape[1];
        int w = shape[2];
        List<Tile> tiles = new ArrayList<>();
        if (shape[0] == 3) {
            tiles.add(imageTile(input, 0, shape, lo, hi));
        } else {
            for (int c = 0; c < shape[0]; c++) {
                tiles.add(Tile.gray(input, c * h * w, h, w, lo, hi));
            }
        }
        grid.row(title, null, tiles);
    }

    private static ImageGrid checked(ImageGrid grid, long tiles) {
        checkTiles(tiles);
        return grid;
    }

    private static void checkTiles(long tiles) {
        if (tiles > MAX_TILES) {
            throw new IllegalArgumentException(tiles + " tiles is more than the " + MAX_TILES + " one picture draws");
        }
    }

    /** {@code [a, b, c]}. */
    public static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
