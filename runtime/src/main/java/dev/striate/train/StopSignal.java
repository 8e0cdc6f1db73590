package dev.striate.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop training at the next batch boundary, e.g. from Ctrl-C. The training loop
 * polls {@link #isRequested()} between batches; when it is set, the loop writes a checkpoint,
 * calls {@link #stopped()} and returns. {@link #installShutdownHook(long)} sets the flag from a
 * JVM shutdown hook (SIGINT, SIGTERM) and keeps the JVM alive, for a bounded time, until the loop
 * has saved its checkpoint, so an interrupted run exits cleanly and can be resumed.
 */
public final class StopSignal {
    private volatile boolean requested;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread hook;

    /** Asks the loop to stop at the next batch boundary; safe to call from any thread, any number of times. */
    public void request() {
        requested = true;
    }

    /** Whether a stop was requested. */
    public boolean isRequested() {
        return requested;
    }

    /** Called by the loop once it has returned (after writing its checkpoint, if it stopped on request). */
    public void stopped() {
        stopped.countDown();
    }

    /** Whether the loop has called {@link #stopped()}. */
    public boolean hasStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Waits up to {@code millis} for the loop to call {@link #stopped()}.
     *
     * @return whether it did in time
     */
    public boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a JVM shutdown hook that requests a stop and waits up to {@code maxWaitMillis}
     * for the loop to finish its checkpoint. Call {@link #uninstallShutdownHook()} when training
     * ends normally.
     */
    public synchronized void installShutdownHook(long maxWaitMillis) {
        if (hook != null) {
            return;
        }
        hook = new Thread(() -> onShutdown(maxWaitMillis), "striate-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What the shutdown hook does: request a stop, then wait (bounded) for the loop to save and return. */
    void onShutdown(long maxWaitMillis) {
        request();
        try {
            awaitStopped(maxWaitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the shutdown hook, if installed and the JVM is not already shutting down. */
    public synchronized void uninstallShutdownHook() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it ends when stopped() is called
        }
        hook = null;
    }
}
