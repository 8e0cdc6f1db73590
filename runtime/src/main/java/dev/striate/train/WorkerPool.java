package dev.striate.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch cut into fixed slices on the calling thread plus a fixed pool of helper threads
 * ({@code threads - 1} of them): slice {@code s} of {@code n} samples is
 * {@code [s*n/S, (s+1)*n/S)} and always runs on model worker {@code s}, whatever thread picks it
 * up, so results depend on the slicing only. Workers are created in slice order (slice 0 first).
 * Owns the workers and their buffers; close it to stop the threads.
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
    private final int helpers;
    private final ExecutorService executor;
    private final SliceState[] states;

    /** A worker and its buffers for one slice. */
    static final class SliceState {
        final TrainableModel.Worker worker;
        final float[] inputs;
        final float[] outputs;
        final float[] dOutputs;
        final int[] labels;
        final float[] dense;

        SliceState(TrainableModel model, int maxSlice) {
            this.worker = model.newWorker(maxSlice);
            this.inputs = new float[maxSlice * model.inputSize()];
            this.outputs = new float[maxSlice * model.outputSize()];
            this.dOutputs = new float[maxSlice * model.outputSize()];
            this.labels = new int[maxSlice];
            this.dense = new float[maxSlice * model.outputSize()];
        }
    }

    WorkerPool(TrainableModel model, int maxBatch, int threads, int slices) {
        if (threads < 1 || slices < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads, slices and batch must be positive");
        }
        Kernels.warmUp();
        this.model = model;
        this.slices = slices;
        this.maxSlice = (maxBatch + slices - 1) / slices;
        this.states = new SliceState[slices];
        for (int s = 0; s < slices; s++) {
            states[s] = new SliceState(model, maxSlice);
        }
        this.helpers = Math.min(threads, slices) - 1;
        if (helpers == 0) {
            executor = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            executor = Executors.newFixedThreadPool(helpers, r -> {
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
     * Runs {@code task} on every non-empty slice of {@code n} samples and waits for all of them:
     * the calling thread and the helper threads take the next slice from a shared counter until
     * none is left. Rethrows the failure of the lowest failing slice as an unchecked exception.
     */
    void run(int n, SliceTask task) {
        if (n > maxSlice * slices) {
            throw new IllegalArgumentException(n + " samples do not fit " + slices + " slices of " + maxSlice);
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failures = new Throwable[slices];
        Runnable drain = () -> {
            for (int s = next.getAndIncrement(); s < slices; s = next.getAndIncrement()) {
                int from = sliceStart(s, n, slices);
                int to = sliceStart(s + 1, n, slices);
                if (to > from) {
                    try {
                        task.run(s, from, to);
                    } catch (Throwable t) {
                        failures[s] = t;
                    }
                }
            }
        };
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            futures.add(executor.submit(drain));
        }
        drain.run();
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unchecked(e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : failures) {
            if (t != null) {
                throw unchecked(t);
            }
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
