package dev.striate.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the front end: bytes as a {@code .cnn} file, read, parsed, lowered and shape-checked
 * ({@link Targets#frontend}). Without {@code JAZZER_FUZZ} (the default test run) it replays the
 * committed findings in {@code src/test/resources/dev/striate/fuzz/FrontendFuzzTestInputs/frontend/};
 * the {@code fuzz-frontend} surefire execution fuzzes it for {@code -Dfuzz.seconds}, seeded from
 * every committed {@code .cnn} file ({@link Seeds#frontend}).
 */
class FrontendFuzzTest {
    private static final FuzzStats STATS = new FuzzStats();
    private static Path scratch;

    @BeforeAll
    static void setUp() {
        scratch = FuzzSetup.prepare("frontend", FuzzSetup.fuzzing() ? Seeds.frontend() : java.util.Map.of());
    }

    @FuzzTest(maxDuration = "60s")
    void frontend(byte[] data) {
        Targets.frontend(data, scratch, STATS);
    }

    @AfterAll
    static void report() {
        STATS.report("frontend", FuzzSetup.mode());
    }
}
