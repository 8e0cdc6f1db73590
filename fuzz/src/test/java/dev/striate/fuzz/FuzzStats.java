package dev.striate.fuzz;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what a fuzz run did, so every run ends with its number of executions. */
final class FuzzStats {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private byte[] slowest;
    private final Map<String, Long> codes = new TreeMap<>();
    private final long startNanos = System.nanoTime();

    synchronized void accepted(byte[] input, long nanos) {
        accepted.incrementAndGet();
        timed(input, nanos);
    }

    synchronized void refused(byte[] input, CompileException e, long nanos) {
        refused.incrementAndGet();
        timed(input, nanos);
        if (e != null) {
            for (Diagnostic d : e.diagnostics()) {
                if (d.isError()) {
                    codes.merge(d.code().toString(), 1L, Long::sum);
                }
            }
        }
    }

    private void timed(byte[] input, long nanos) {
        if (nanos > slowestNanos.get()) {
            slowestNanos.set(nanos);
            slowest = input;
        }
    }

    long executions() {
        return accepted.get() + refused.get();
    }

    /** One line: executions, their outcomes, the error codes reached, the slowest input. */
    synchronized String summary(String target, String mode) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(java.util.Locale.ROOT,
                "fuzz %s (%s): %d executions in %.0f s (%.0f/s): %d accepted, %d refused;"
                        + " error codes reached %s; slowest input %.1f ms",
                target, mode, executions(), seconds, executions() / Math.max(seconds, 1e-9),
                accepted.get(), refused.get(), codes.keySet(), slowestNanos.get() / 1e6);
    }

    /**
     * Prints the summary and writes it to {@code <fuzz.work>/stats/<target>-<mode>.txt}, with the
     * slowest input beside it ({@code <target>-<mode>-slowest.bin}).
     */
    void report(String target, String mode) {
        String line = summary(target, mode);
        System.out.println(line);
        String work = System.getProperty("fuzz.work");
        if (work != null) {
            try {
                Path dir = Files.createDirectories(Path.of(work, "stats"));
                Files.writeString(dir.resolve(target + "-" + mode + ".txt"), line + "\n", StandardCharsets.UTF_8);
                synchronized (this) {
                    if (slowest != null) {
                        Files.write(dir.resolve(target + "-" + mode + "-slowest.bin"), slowest);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
