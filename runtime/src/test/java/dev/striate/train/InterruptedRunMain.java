package dev.striate.train;

import java.nio.file.Path;

/**
 * A training run in a child JVM for {@link InterruptedRunTest}: installs the Ctrl-C hook, prints
 * {@code training} after the first batch, and trains slowly until a signal stops it.
 */
public final class InterruptedRunMain {
    private InterruptedRunMain() {
    }

    /** {@code args[0]}: the checkpoint directory. */
    public static void main(String[] args) throws Exception {
        StopSignal stop = new StopSignal();
        stop.installShutdownHook(30_000);
        TrainingConfig config = InterruptedRunTest.config(Path.of(args[0])).stop(stop)
                .listener((epoch, batch, loss) -> {
                    if (epoch == 0 && batch == 0) {
                        System.out.println("training");
                        System.out.flush();
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).build();
        TrainingResult r = new Trainer(InterruptedRunTest.model(), new TestCrossEntropy(), config)
                .train(InterruptedRunTest.DATA);
        System.out.println(r.stopped() ? "stopped" : "finished");
        System.out.flush();
        stop.uninstallShutdownHook();
    }
}
