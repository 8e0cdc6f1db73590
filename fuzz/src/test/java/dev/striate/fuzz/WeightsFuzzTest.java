package dev.striate.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the weights manifest reader: bytes as a manifest, {@code "\n--blob--\n"}, and the blob it
 * names ({@link Targets#weights}). Without {@code JAZZER_FUZZ} it replays the committed findings in
 * {@code src/test/resources/dev/striate/fuzz/WeightsFuzzTestInputs/weights/}; the
 * {@code fuzz-weights} surefire execution fuzzes it for {@code -Dfuzz.seconds}, seeded from every
 * committed manifest with its blob ({@link Seeds#weights}).
 */
class WeightsFuzzTest {
    private static final FuzzStats STATS = new FuzzStats();
    private static Path scratch;

    @BeforeAll
    static void setUp() {
        scratch = FuzzSetup.prepare("weights", FuzzSetup.fuzzing() ? Seeds.weights() : java.util.Map.of());
    }

    @FuzzTest(maxDuration = "60s")
    void weights(byte[] data) {
        Targets.weights(data, scratch, STATS);
    }

    @AfterAll
    static void report() {
        STATS.report("weights", FuzzSetup.mode());
    }
}
