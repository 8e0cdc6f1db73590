package dev.striate.backend.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * The row scratch of a generated class: one {@code float[][] rows} field shared by the layer
 * methods that ask for it, so their inner loops can index two arrays with the same expression
 * ({@code acc[p] += k * row[p]}), the form C2 auto-vectorizes. Row {@code i} is as long as the
 * longest row any layer needs at index {@code i}, so the field is ragged and no larger than the
 * largest request per row.
 *
 * <p>One instance per generated class; an emitter calls {@link #request} and
 * {@link LayerContext#methodWithRows}, then the class emitter reads {@link #takeUsed} to pass
 * {@code rows} to that layer's method.
 */
public final class ScratchRows {
    /** Parameter and field name of the scratch rows in generated code. */
    public static final String NAME = "rows";

    private final List<Integer> lengths = new ArrayList<>();
    private boolean used;

    /** Records that the current layer uses rows {@code 0 .. count-1}, each at least {@code length} long. */
    void request(int count, int length) {
        for (int i = 0; i < count; i++) {
            if (i < lengths.size()) {
                lengths.set(i, Math.max(lengths.get(i), length));
            } else {
                lengths.add(length);
            }
        }
    }

    /** Marks the layer being emitted as a user of the rows. */
    void markUsed() {
        used = true;
    }

    /** True if the layer emitted since the last call uses the rows; resets the flag. */
    public boolean takeUsed() {
        boolean u = used;
        used = false;
        return u;
    }

    /** True once any layer requested rows. */
    public boolean any() {
        return !lengths.isEmpty();
    }

    /**
     * The row lengths run-length encoded as {@code count, length, count, length, ...} (lengths
     * never increase with the row index, since every request starts at row 0).
     */
    public List<Integer> runs() {
        List<Integer> r = new ArrayList<>();
        int i = 0;
        while (i < lengths.size()) {
            int j = i;
            while (j < lengths.size() && lengths.get(j).equals(lengths.get(i))) {
                j++;
            }
            r.add(j - i);
            r.add(lengths.get(i));
            i = j;
        }
        return r;
    }

    /** Floats held by the rows. */
    public long floats() {
        long n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }
}
