package dev.striate.train;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first input cell of every pooling window of one sample, relative to the sample: for output
 * {@code o = (c * outH + oy) * outW + ox} the cell {@code (c * inH + oy * sh) * inW + ox * sw}, as
 * the index map of {@link Kernels#maxPool}'s gathers. Computed once per geometry and shared
 * (the tables are never written after they are made).
 */
final class WindowCells {
    private static final ConcurrentHashMap<List<Integer>, int[]> TABLES = new ConcurrentHashMap<>();

    private WindowCells() {
    }

    static int[] of(int channels, int inH, int inW, int outH, int outW, int sh, int sw) {
        return TABLES.computeIfAbsent(List.of(channels, inH, inW, outH, outW, sh, sw), k -> {
            int[] cells = new int[channels * outH * outW];
            int o = 0;
            for (int c = 0; c < channels; c++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        cells[o++] = (c * inH + oy * sh) * inW + ox * sw;
                    }
                }
            }
            return cells;
        });
    }
}
