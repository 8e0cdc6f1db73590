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
    private final CountDownLatch released = new CountDownLatch(1);
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
     * Registers a JVM shutdown hook that requests a stop and keeps the JVM alive, up to
     * {@code maxWaitMillis} in all, until the loop has saved its checkpoint and the program has
     * called {@link #uninstallShutdownHook()}. Always call that when training is over (normally
     * or stopped), after any last work such as writing weights or printing where the checkpoint
     * is: the JVM halts as soon as the hook returns.
     */
    public synchronized void installShutdownHook(long maxWaitMillis) {
        if (hook != null) {
            return;
        }
        hook = new Thread(() -> onShutdown(maxWaitMillis), "striate-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** How a shutdown hook's wait ended. */
    enum HookOutcome {
        /** The loop stopped and the program released the JVM in time. */
        RELEASED,
        /** The bound passed before the loop called {@link #stopped()}. */
        LOOP_DID_NOT_STOP,
        /** The loop stopped, but the bound passed before {@link #uninstallShutdownHook()}. */
        NOT_RELEASED,
        /** The hook thread was interrupted. */
        INTERRUPTED
    }

    /**
     * What the shutdown hook does: request a stop, then wait (bounded) for the loop to save and
     * return, and for the program to release the JVM with {@link #uninstallShutdownHook()}.
     *
     * @return how the wait ended
     */
    HookOutcome onShutdown(long maxWaitMillis) {
        request();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        try {
            if (!awaitStopped(maxWaitMillis)) {
                return HookOutcome.LOOP_DID_NOT_STOP;
            }
            boolean done = released.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return done ? HookOutcome.RELEASED : HookOutcome.NOT_RELEASED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HookOutcome.INTERRUPTED;
        }
    }

    /**
     * Removes the shutdown hook; when the JVM is already shutting down, lets the running hook
     * return so the JVM can exit.
     */
    public synchronized void uninstallShutdownHook() {
        released.countDown();
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: the countDown above lets it return
        }
        hook = null;
    }
}
