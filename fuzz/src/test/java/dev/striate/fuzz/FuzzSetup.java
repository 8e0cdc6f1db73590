package dev.striate.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The folders a fuzz run uses under {@code -Dfuzz.work} (the module's {@code target/fuzz}). */
final class FuzzSetup {
    private FuzzSetup() {
    }

    static boolean fuzzing() {
        String env = System.getenv("JAZZER_FUZZ");
        return env != null && !env.isEmpty();
    }

    static String mode() {
        return fuzzing() ? "fuzzing" : "regression";
    }

    static Path work() {
        String work = System.getProperty("fuzz.work");
        return Path.of(work != null ? work : "target/fuzz").toAbsolutePath();
    }

    /**
     * Prepares a target's folders: a scratch folder for its files, and in fuzzing mode the seed
     * folder (rewritten from the repository) and the output corpus folder that the surefire
     * execution hands to libFuzzer.
     */
    static Path prepare(String target, Map<String, byte[]> seeds) {
        try {
            if (fuzzing()) {
                Seeds.writeTo(seeds, work().resolve("seeds").resolve(target));
                Files.createDirectories(work().resolve("corpus").resolve(target));
                System.out.println("fuzz " + target + ": " + seeds.size() + " seeds, "
                        + System.getProperty("fuzz.seconds", "?") + " s budget");
            }
            return Files.createDirectories(work().resolve("scratch").resolve(target + "-" + ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
