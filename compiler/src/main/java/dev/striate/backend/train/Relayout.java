package dev.striate.backend.train;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * How a class emitter laid out a layer's parameters in its weights blob, as nested copy loops: the
 * layer is emitted twice with probe values (element {@code i} of the layer's {@code k}-th parameter
 * holds a distinct integer, a different one in each probe), and every float the emitter put in the
 * blob is traced back to the parameter element it came from. Consecutive positions whose sources
 * step by a constant stride form a run; runs of one length whose starts step by a constant stride
 * form a group, and so on up to {@link #MAX_DEPTH} levels. Zeros in both probes are padding: the
 * copy leaves them alone (a worker's blob starts zeroed). A layout that is not otherwise a
 * permutation of its parameters (values computed from the weights, other constants) is refused, and
 * so is one that needs more than {@link #MAX_GROUPS} groups.
 */
final class Relayout {
    /** The most nested loops one group takes. */
    static final int MAX_DEPTH = 6;
    /** The most groups (loop nests) one layer's layout takes. */
    static final int MAX_GROUPS = 64;

    /**
     * One loop nest: blob positions {@code [start, start + count product)} in order, read from
     * parameter {@code param} at {@code from + sum(index[l] * strides[l])}; level 0 is innermost.
     */
    record Group(int param, int start, int from, int[] counts, int[] strides) {
        int size() {
            int n = 1;
            for (int c : counts) {
                n *= c;
            }
            return n;
        }
    }

    private Relayout() {
    }

    /**
     * The groups of the blob segment {@code [start, end)} given the two probes' blob floats;
     * {@code bases[k]} is where parameter {@code k}'s codes start in probe A, {@code sizes[k]} its
     * element count, and probe B's codes are probe A's plus {@code shift}. Null when the segment is
     * not a permutation of the parameters.
     */
    static List<Group> find(float[] a, float[] b, int start, int end, int[] bases, int[] sizes, int shift) {
        int n = end - start;
        int[] param = new int[n];
        int[] index = new int[n];
        for (int p = 0; p < n; p++) {
            float va = a[start + p];
            float vb = b[start + p];
            if (va == 0f && vb == 0f) {
                param[p] = -1;
                continue;
            }
            if (va != Math.rint(va) || vb - va != shift) {
                return null;
            }
            int code = (int) va;
            int k = 0;
            while (k < bases.length && !(code >= bases[k] && code < bases[k] + sizes[k])) {
                k++;
            }
            if (k == bases.length) {
                return null;
            }
            param[p] = k;
            index[p] = code - bases[k];
        }
        List<Group> groups = new ArrayList<>();
        int p = 0;
        while (p < n) {
            if (param[p] < 0) {
                p++;
                continue;
            }
            Group g = grow(param, index, p, n);
            if (g == null) {
                return null;
            }
            groups.add(new Group(g.param(), start + p, g.from(), g.counts(), g.strides()));
            p += g.size();
            if (groups.size() > MAX_GROUPS) {
                return null;
            }
        }
        return groups;
    }

    /** The largest nest starting at {@code p}: a run, then runs of runs while they repeat with a constant stride. */
    private static Group grow(int[] param, int[] index, int p, int n) {
        int k = param[p];
        int stride = p + 1 < n && param[p + 1] == k ? index[p + 1] - index[p] : 1;
        int run = 1;
        while (p + run < n && param[p + run] == k && index[p + run] == index[p] + run * stride) {
            run++;
        }
        List<Integer> counts = new ArrayList<>(List.of(run));
        List<Integer> strides = new ArrayList<>(List.of(stride));
        int block = run;
        while (counts.size() < MAX_DEPTH && p + 2 * block <= n && matches(param, index, p, p + block, block, counts,
                strides)) {
            int outer = index[p + block] - index[p];
            int copies = 2;
            while (p + (copies + 1) * block <= n && index[p + copies * block] == index[p] + copies * outer
                    && matches(param, index, p, p + copies * block, block, counts, strides)) {
                copies++;
            }
            counts.add(copies);
            strides.add(outer);
            block *= copies;
        }
        return new Group(k, p, index[p], counts.stream().mapToInt(Integer::intValue).toArray(),
                strides.stream().mapToInt(Integer::intValue).toArray());
    }

    /** True when the block at {@code q} repeats the block at {@code p} shifted by a constant index offset. */
    private static boolean matches(int[] param, int[] index, int p, int q, int block, List<Integer> counts,
                                   List<Integer> strides) {
        int offset = index[q] - index[p];
        for (int i = 0; i < block; i++) {
            if (param[q + i] != param[p + i] || index[q + i] != index[p + i] + offset) {
                return false;
            }
        }
        return true;
    }

    /** Copies {@code g} from the parameter array {@code source} into {@code target}, as nested loops. */
    static CodeBlock copy(Group g, String source, String target) {
        CodeBlock.Builder b = CodeBlock.builder();
        int depth = g.counts().length;
        if (depth == 1 && g.strides()[0] == 1) {
            return b.addStatement("System.arraycopy($L, $L, $L, $L, $L)", source, g.from(), target, g.start(),
                    g.counts()[0]).build();
        }
        b.add("{\n").indent().addStatement("int p = $L", g.start());
        StringBuilder at = new StringBuilder(Integer.toString(g.from()));
        for (int l = depth - 1; l >= 0; l--) {
            b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", l, l, g.counts()[l], l);
            at.append(" + i").append(l).append(" * ").append(g.strides()[l]);
        }
        b.addStatement("$L[p++] = $L[$L]", target, source, at);
        for (int l = 0; l < depth; l++) {
            b.endControlFlow();
        }
        return b.unindent().add("}\n").build();
    }
}
