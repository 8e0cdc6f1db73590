package dev.striate.backend.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tracing a blob back to the parameters it was laid out from, as loop nests. */
class RelayoutTest {
    /** Probe A and B for a blob made of {@code sources} (param k element i = code bases[k] + i), B shifted. */
    private static float[][] probes(int[][] sources, int[] bases, int shift) {
        float[] a = new float[sources.length];
        float[] b = new float[sources.length];
        for (int p = 0; p < sources.length; p++) {
            a[p] = bases[sources[p][0]] + sources[p][1];
            b[p] = a[p] + shift;
        }
        return new float[][] {a, b};
    }

    @Test
    void aTransposedWeightAndItsBiasAreTwoNests() {
        // weight [3 units][4 inputs] stored [4][3], then the bias (3)
        int[][] sources = new int[15][];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                sources[i * 3 + j] = new int[] {0, j * 4 + i};
            }
        }
        for (int j = 0; j < 3; j++) {
            sources[12 + j] = new int[] {1, j};
        }
        int[] bases = {1, 13};
        float[][] p = probes(sources, bases, 16);
        List<Relayout.Group> groups = Relayout.find(p[0], p[1], 0, 15, bases, new int[] {12, 3}, 16);
        assertEquals(2, groups.size());
        assertArrayEquals(new int[] {3, 4}, groups.get(0).counts());
        assertArrayEquals(new int[] {4, 1}, groups.get(0).strides());
        assertEquals(1, groups.get(1).param());
        assertEquals(12, groups.get(1).start());
        assertArrayEquals(new int[] {3}, groups.get(1).counts());
        assertEquals("System.arraycopy(b, 0, w, 12, 3);\n", Relayout.copy(groups.get(1), "b", "w").toString());
        // the nest copies element by element what the blob holds
        float[] weight = new float[12];
        for (int i = 0; i < 12; i++) {
            weight[i] = 100 + i;
        }
        float[] blob = new float[12];
        Relayout.Group g = groups.get(0);
        int q = g.start();
        for (int i1 = 0; i1 < g.counts()[1]; i1++) {
            for (int i0 = 0; i0 < g.counts()[0]; i0++) {
                blob[q++] = weight[g.from() + i1 * g.strides()[1] + i0 * g.strides()[0]];
            }
        }
        for (int pos = 0; pos < 12; pos++) {
            assertEquals(weight[sources[pos][1]], blob[pos]);
        }
    }

    @Test
    void valuesComputedFromTheWeightsOrOtherConstantsAreRefused() {
        int[] bases = {1};
        float[][] p = probes(new int[][] {{0, 0}, {0, 1}}, bases, 8);
        p[1][1] += 1; // the second value does not follow the shift: computed from the weights
        assertNull(Relayout.find(p[0], p[1], 0, 2, bases, new int[] {2}, 8));
        assertNull(Relayout.find(new float[] {1, 0.5f}, new float[] {9, 0.5f}, 0, 2, bases, new int[] {2}, 8));
    }

    @Test
    void zeroPaddingIsLeftAlone() {
        // two rows of 3 weights padded to 4: 1 2 3 0 4 5 6 0
        float[] a = {1, 2, 3, 0, 4, 5, 6, 0};
        float[] b = new float[8];
        for (int i = 0; i < 8; i++) {
            b[i] = a[i] == 0 ? 0 : a[i] + 10;
        }
        List<Relayout.Group> groups = Relayout.find(a, b, 0, 8, new int[] {1}, new int[] {6}, 10);
        assertEquals(2, groups.size());
        assertEquals(0, groups.get(0).start());
        assertEquals(4, groups.get(1).start());
        assertEquals(3, groups.get(1).from());
        assertArrayEquals(new int[] {3}, groups.get(1).counts());
    }
}
