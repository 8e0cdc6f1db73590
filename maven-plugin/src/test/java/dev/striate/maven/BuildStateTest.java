package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
    @TempDir
    Path dir;
    Path model;
    Path weights;
    Path output;
    BuildState state;

    @BeforeEach
    void compiledOnce() throws IOException {
        model = Files.writeString(dir.resolve("my model.cnn"), "model M {}");
        weights = Files.writeString(dir.resolve("my model.weights.json"), "{}");
        output = Files.writeString(dir.resolve("M.java"), "class M {}");
        state = new BuildState("package=a", List.of(FileStamp.of(model), FileStamp.of(weights)), List.of(output));
    }

    @Test
    void survivesARoundTripThroughItsFile() throws IOException {
        Path file = dir.resolve("state/my model.cnn.state");
        state.write(file);
        assertEquals(Optional.of(state), BuildState.read(file));
    }

    @Test
    void aMissingOrForeignFileIsNoState() throws IOException {
        assertEquals(Optional.empty(), BuildState.read(dir.resolve("absent.state")));
        assertEquals(Optional.empty(), BuildState.read(Files.writeString(dir.resolve("x.state"), "hello\n")));
    }

    @Test
    void isUpToDateWhileNothingChanged() throws IOException {
        assertTrue(state.isUpToDate("package=a", List.of(model, weights)));
    }

    @Test
    void aTouchWithoutNewContentKeepsItUpToDate() throws IOException {
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() + 60_000));
        assertTrue(state.isUpToDate("package=a", List.of(model, weights)));
    }

    @Test
    void newContentOfTheSameSizeMakesItStale() throws IOException {
        Files.writeString(weights, "[]");
        Files.setLastModifiedTime(weights, FileTime.fromMillis(Files.getLastModifiedTime(weights).toMillis() + 2000));
        assertFalse(state.isUpToDate("package=a", List.of(model, weights)));
    }

    @Test
    void otherOptionsOrInputsOrAMissingOutputMakeItStale() throws IOException {
        assertFalse(state.isUpToDate("package=b", List.of(model, weights)));
        Path blob = Files.writeString(dir.resolve("my model.weights.bin"), "..");
        assertFalse(state.isUpToDate("package=a", List.of(model, blob)));
        Files.delete(weights);
        assertFalse(state.isUpToDate("package=a", List.of(model)));
        Files.writeString(weights, "{}");
        assertTrue(state.isUpToDate("package=a", List.of(model, weights)));
        Files.delete(output);
        assertFalse(state.isUpToDate("package=a", List.of(model, weights)));
    }
}
