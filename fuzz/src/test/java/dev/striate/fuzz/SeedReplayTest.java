package dev.striate.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every seed of both fuzz targets, replayed in the default test run: each committed model file and
 * manifest must be accepted or refused with diagnostics, never crash the front door. (The Jazzer
 * tests replay only their committed findings in regression mode.)
 */
class SeedReplayTest {
    @TempDir
    static Path scratch;

    @TestFactory
    Stream<DynamicTest> frontendSeeds() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("frontend"));
        return replay(Seeds.frontend(), data -> Targets.frontend(data, dir, new FuzzStats()));
    }

    @TestFactory
    Stream<DynamicTest> weightsSeeds() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("weights"));
        return replay(Seeds.weights(), data -> Targets.weights(data, dir, new FuzzStats()));
    }

    private static Stream<DynamicTest> replay(Map<String, byte[]> seeds, java.util.function.Consumer<byte[]> target) {
        return seeds.entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> target.accept(e.getValue())));
    }
}
