package dev.striate.cli;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The indices of the largest values, largest first; equal values in index order (as
 * {@code classify} picks the first), NaN last.
 */
final class TopK {
    private TopK() {
    }

    /** The indices of the {@code k} largest of {@code values} ({@code 1 <= k <= values.length}). */
    static List<Integer> of(float[] values, int k) {
        Comparator<Integer> byValue = (a, b) -> {
            boolean na = Float.isNaN(values[a]);
            boolean nb = Float.isNaN(values[b]);
            if (na || nb) {
                return na == nb ? 0 : na ? 1 : -1;
            }
            return Float.compare(values[b], values[a]);
        };
        return IntStream.range(0, values.length).boxed()
                .sorted(byValue.thenComparing(Comparator.naturalOrder()))
                .limit(k)
                .toList();
    }
}
