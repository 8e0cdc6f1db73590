package dev.striate.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch cut into fixed slices on a fixed thread pool: slice {@code s} of {@code n} samples
 * is {@code [s*n/S, (s+1)*n/S)} and always runs on model worker {@code s}, whatever thread picks
 * it up, so results depend on the slicing only. Owns the workers and their buffers; close it to
 * stop the threads.
 */
final class WorkerPool implements AutoCloseable {
    /** Work on one slice. */
    @FunctionalInterface
    interface SliceTask {
        /** Processes samples {@code [from, to)} of the batch with slice {@code slice}'s worker. */
        void run(int slice, int from, int to) throws Exception;
    }

    private final TrainableModel model;
    private final int slices;
    private final int maxSlice;
    private final ExecutorService executor;
    private final SliceState[] states;

    /** A worker and its buffers for one slice. */
    static final class SliceState {
        final TrainableModel.Worker worker;
        final float[] inputs;
        final float[] outputs;
        final float[] dOutputs;
        final int[] labels;

        SliceState(TrainableModel model, int maxSlice) {
            this.worker = model.newWorker(maxSlice);
            this.inputs = new float[maxSlice * model.inputSize()];
            this.outputs = new float[maxSlice * model.outputSize()];
            this.dOutputs = new float[maxSlice * model.outputSize()];
            this.labels = new int[maxSlice];
        }
    }

    WorkerPool(TrainableModel model, int maxBatch, int threads, int slices) {
        if (threads < 1 || slices < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads, slices and batch must be positive");
        }
        this.model = model;
        this.slices = slices;
        this.maxSlice = (maxBatch + slices - 1) / slices;
        this.states = new SliceState[slices];
        for (int s = 0; s < slices; s++) {
            states[s] = new SliceState(model, maxSlice);
        }
        int poolSize = Math.min(threads, slices);
        if (poolSize == 1) {
            executor = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            executor = Executors.newFixedThreadPool(poolSize, r -> {
                Thread t = new Thread(r, "striate-train-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    TrainableModel model() {
        return model;
    }

    int slices() {
        return slices;
    }

    /** The largest number of samples a slice can hold. */
    int maxSlice() {
        return maxSlice;
    }

    SliceState state(int slice) {
        return states[slice];
    }

    /** The first sample of slice {@code s} when {@code n} samples are cut into the pool's slices. */
    static int sliceStart(int s, int n, int slices) {
        return (int) ((long) s * n / slices);
    }

    /**
     * Runs {@code task} on every non-empty slice of {@code n} samples and waits for all of them;
     * rethrows the first failure (in slice order) as an unchecked exception.
     */
    void run(int n, SliceTask task) {
        if (n > maxSlice * slices) {
            throw new IllegalArgumentException(n + " samples do not fit " + slices + " slices of " + maxSlice);
        }
        if (executor == null) {
            for (int s = 0; s < slices; s++) {
                int from = sliceStart(s, n, slices);
                int to = sliceStart(s + 1, n, slices);
                if (to > from) {
                    try {
                        task.run(s, from, to);
                    } catch (Exception e) {
                        throw unchecked(e);
                    }
                }
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int slice = s;
            int from = sliceStart(s, n, slices);
            int to = sliceStart(s + 1, n, slices);
            if (to > from) {
                futures.add(executor.submit(() -> {
                    task.run(slice, from, to);
                    return null;
                }));
            }
        }
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = unchecked(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("interrupted while waiting for a slice", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t.getMessage(), t);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
