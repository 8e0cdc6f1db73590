package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StopSignalTest {
    @Test
    void theHookRequestsAStopAndWaitsForTheLoop() throws InterruptedException {
        StopSignal stop = new StopSignal();
        Thread hook = new Thread(() -> stop.onShutdown(10_000));
        hook.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!stop.isRequested() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(stop.isRequested());
        Thread.sleep(50);
        assertTrue(hook.isAlive(), "the hook waits until the loop has saved its checkpoint");
        stop.stopped();
        Thread.sleep(50);
        assertTrue(hook.isAlive(), "then until the program has finished its own last work");
        stop.uninstallShutdownHook();
        hook.join(5_000);
        assertFalse(hook.isAlive());
    }

    @Test
    void theHookGivesUpAfterItsBound() throws InterruptedException {
        StopSignal stop = new StopSignal();
        long t0 = System.nanoTime();
        stop.onShutdown(100);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(stop.isRequested());
        assertFalse(stop.hasStopped());
        assertTrue(millis >= 90 && millis < 5_000, millis + " ms");
    }

    @Test
    void installingAndUninstallingTheHookLeavesTheFlagAlone() {
        StopSignal stop = new StopSignal();
        stop.installShutdownHook(1000);
        stop.installShutdownHook(1000);
        stop.uninstallShutdownHook();
        stop.uninstallShutdownHook();
        assertFalse(stop.isRequested());
    }
}
