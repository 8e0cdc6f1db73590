package dev.striate.cli;

import dev.striate.backend.train.LayerProbe;
import dev.striate.data.Dataset;
import dev.striate.ir.Shape;
import dev.striate.viz.Pictures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds, for feature maps of a layer, the images that activate each most (Zeiler and Fergus): an
 * image's score for a map is its largest activation there (the first position in row-major order
 * on ties), only positive scores count, ties between images go to the lower index. Each hit is
 * then projected back to the input through the probe's backward pass (a signal of 1 on that one
 * unit, 0 elsewhere) and cropped to the unit's receptive field.
 */
final class TopActivations {
    private final LayerProbe probe;
    private final ReceptiveField field;
    private final Shape input;
    private final UnaryOperator<float[]> normalize;

    TopActivations(LayerProbe probe, ReceptiveField field, Shape input, UnaryOperator<float[]> normalize) {
        this.probe = probe;
        this.field = field;
        this.input = input;
        this.normalize = normalize;
    }

    /** A candidate: image {@code index} scores {@code value} at {@code position} of a map. */
    private record Best(float value, int index, int position) {
    }

    /** The hits, a list per map of {@code maps} (best first, at most {@code top}), over images {@code [0, count)}. */
    List<List<Pictures.Hit>> find(Dataset data, int count, List<Integer> maps, int top) {
        Shape s = probe.shape();
        int plane = s.plane();
        List<List<Best>> best = new ArrayList<>();
        for (int m = 0; m < maps.size(); m++) {
            best.add(new ArrayList<>());
        }
        Comparator<Best> order = Comparator.comparing(Best::value).reversed().thenComparingInt(Best::index);
        for (int i = 0; i < count; i++) {
            float[] act = probe.activations(normalize.apply(data.image(i)));
            for (int m = 0; m < maps.size(); m++) {
                int base = maps.get(m) * plane;
                int at = 0;
                for (int p = 1; p < plane; p++) {
                    if (act[base + p] > act[base + at]) {
                        at = p;
                    }
                }
                if (act[base + at] > 0f) {
                    List<Best> list = best.get(m);
                    list.add(new Best(act[base + at], i, at));
                    list.sort(order);
                    if (list.size() > top) {
                        list.remove(list.size() - 1);
                    }
                }
            }
        }
        List<List<Pictures.Hit>> hits = new ArrayList<>();
        for (int m = 0; m < maps.size(); m++) {
            List<Pictures.Hit> row = new ArrayList<>();
            for (Best b : best.get(m)) {
                row.add(hit(data.image(b.index()), maps.get(m), b));
            }
            hits.add(row);
        }
        return hits;
    }

    private Pictures.Hit hit(float[] pixels, int map, Best b) {
        Shape s = probe.shape();
        float[] signal = new float[s.size()];
        signal[map * s.plane() + b.position()] = 1f;
        float[] gradient = probe.inputGradient(normalize.apply(pixels), signal);
        int y = b.position() / s.width();
        int x = b.position() % s.width();
        int[] rows = field.rows(y, input.height());
        int[] cols = field.columns(x, input.width());
        int h = rows[1] - rows[0];
        int w = cols[1] - cols[0];
        return new Pictures.Hit(b.value(), b.index(), y, x, h, w, crop(pixels, rows[0], cols[0], h, w),
                crop(gradient, rows[0], cols[0], h, w));
    }

    /** Rows {@code [top, top + h)} and columns {@code [left, left + w)} of every channel. */
    private float[] crop(float[] image, int top, int left, int h, int w) {
        int c = input.channels();
        float[] out = new float[c * h * w];
        for (int k = 0; k < c; k++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(image, (k * input.height() + top + r) * input.width() + left, out, (k * h + r) * w, w);
            }
        }
        return out;
    }
}
