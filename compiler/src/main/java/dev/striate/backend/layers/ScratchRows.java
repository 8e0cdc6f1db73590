package dev.striate.backend.layers;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.WeightBlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

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

    /**
     * The constant naming row 0, where every layer accumulates ({@code rows[ACC_ROW]}; a blocked
     * convolution's accumulators are {@code rows[ACC_ROW + j]}).
     */
    public static final String ACC = "ACC_ROW";

    private final List<Integer> lengths = new ArrayList<>();
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private boolean used;

    /**
     * Names row {@code index}, the first of a layer's rows for {@code what} ({@code unfolded_row},
     * {@code weight_row}): an {@code int} constant of the class named after the layer,
     * {@code CONV2D_1_UNFOLDED_ROW}, from {@code ctx}'s blob namespace, so that generated code reads
     * {@code rows[CONV2D_1_UNFOLDED_ROW + r]} instead of a bare number. Returns its name.
     */
    String name(LayerContext ctx, String what, int index) {
        String name = ctx.blob().constantName(ctx.node().name(), what);
        names.put(name, index);
        return name;
    }

    /**
     * {@code rows[constant + offset + variable]} ({@code variable} may be null): the named index
     * first, so that javac folds {@code constant + offset} into one constant and the bytecode is
     * that of a literal index.
     */
    static String at(String constant, int offset, String variable) {
        String index = offset == 0 ? constant : constant + " + " + offset;
        return NAME + "[" + (variable == null ? index : index + " + " + variable) + "]";
    }

    /**
     * Adds the class's {@code int} constants that index its weights and rows: the named weight
     * offsets of {@code blob}, {@link #ACC} and the rows named by {@link #name}, in the order
     * they were made (deterministic).
     */
    public static void addConstants(TypeSpec.Builder type, WeightBlob blob, ScratchRows rows) {
        Map<String, Integer> all = new LinkedHashMap<>(blob.names());
        if (rows.any()) {
            all.put(ACC, 0);
            all.putAll(rows.names);
        }
        all.forEach((name, value) -> type.addField(FieldSpec.builder(int.class, name, Modifier.PRIVATE,
                Modifier.STATIC, Modifier.FINAL).initializer("$L", value).build()));
    }

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
