package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The shutdown hook's waits, checked by how each wait ended (no timing windows): the hook
 * returns {@code RELEASED} only after the loop has stopped and the program has released it.
 */
class StopSignalTest {
    @Test
    void theHookRequestsAStopAndWaitsForTheLoopThenForTheProgram()
            throws InterruptedException, ExecutionException, TimeoutException {
        StopSignal stop = new StopSignal();
        FutureTask<StopSignal.HookOutcome> hook = new FutureTask<>(() -> stop.onShutdown(60_000));
        new Thread(hook).start();
        while (!stop.isRequested()) {
            Thread.onSpinWait();
        }
        stop.stopped();
        stop.uninstallShutdownHook();
        assertEquals(StopSignal.HookOutcome.RELEASED, hook.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aStoppedLoopIsNotEnoughTheProgramMustReleaseTheHook() {
        StopSignal stop = new StopSignal();
        stop.stopped();
        assertEquals(StopSignal.HookOutcome.NOT_RELEASED, stop.onShutdown(100),
                "the hook keeps the JVM alive for the program's last work until released or the bound");
    }

    @Test
    void theHookGivesUpAfterItsBoundWhenTheLoopDoesNotStop() {
        StopSignal stop = new StopSignal();
        assertEquals(StopSignal.HookOutcome.LOOP_DID_NOT_STOP, stop.onShutdown(100));
        assertTrue(stop.isRequested());
        assertFalse(stop.hasStopped());
    }

    @Test
    void aHookThatRunsAfterTheProgramFinishedReturnsAtOnce() {
        StopSignal stop = new StopSignal();
        stop.stopped();
        stop.uninstallShutdownHook();
        assertEquals(StopSignal.HookOutcome.RELEASED, stop.onShutdown(60_000));
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
