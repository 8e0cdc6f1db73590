package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.striate.data.Batch;
import dev.striate.data.MiniBatches;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void cutsBatchesIntoBalancedFixedSlices() {
        assertEquals(0, WorkerPool.sliceStart(0, 10, 3));
        assertEquals(3, WorkerPool.sliceStart(1, 10, 3));
        assertEquals(6, WorkerPool.sliceStart(2, 10, 3));
        assertEquals(10, WorkerPool.sliceStart(3, 10, 3));
        try (WorkerPool pool = new WorkerPool(new Mlp(8, 4, 3, 0, 1), 10, 2, 3)) {
            assertEquals(4, pool.maxSlice());
            AtomicIntegerArray seen = new AtomicIntegerArray(10);
            int[] sliceOf = new int[10];
            pool.run(10, (s, from, to) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                    sliceOf[i] = s;
                }
            });
            for (int i = 0; i < 10; i++) {
                assertEquals(1, seen.get(i), "sample " + i + " once");
            }
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, sliceOf);
            int[] calls = new int[3];
            pool.run(2, (s, from, to) -> calls[s]++);
            assertArrayEquals(new int[] {0, 1, 1}, calls, "empty slices are skipped");
        }
    }

    @Test
    void rethrowsTheFailureOfTheLowestFailingSlice() {
        try (WorkerPool pool = new WorkerPool(new Mlp(8, 4, 3, 0, 1), 9, 3, 3)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(9, (s, from, to) -> {
                if (s > 0) {
                    throw new IllegalStateException("slice " + s);
                }
            }));
            assertEquals("slice 1", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> pool.run(13, (s, from, to) -> { }));
        }
    }

    @Test
    void theSlicedGradientIsTheFullBatchMeanGradient() {
        MiniBatches batches = MiniBatches.builder(Blobs.of(50, 3, 2), 50).seed(1).build();
        Batch batch = batches.batch(0, 0);
        Mlp model = new Mlp(8, 16, 3, 0, 5);
        TrainStep.Result whole;
        float[][] expected;
        try (WorkerPool pool = new WorkerPool(model, 50, 1, 1)) {
            TrainStep step = new TrainStep(pool, new TestCrossEntropy(), Targets.LABELS, null, 0);
            whole = step.run(batch, 0, 0);
            expected = step.gradients();
        }
        for (int slices : new int[] {2, 3, 7}) {
            try (WorkerPool pool = new WorkerPool(model, 50, 2, slices)) {
                TrainStep step = new TrainStep(pool, new TestCrossEntropy(), Targets.LABELS, null, 0);
                TrainStep.Result r = step.run(batch, 0, 0);
                assertEquals(whole.loss(), r.loss(), 1e-6, slices + " slices");
                assertEquals(whole.correct(), r.correct());
                for (int p = 0; p < expected.length; p++) {
                    assertArrayEquals(expected[p], step.gradients()[p], 1e-6f, "parameter " + p + ", " + slices
                            + " slices");
                }
            }
        }
    }
}
