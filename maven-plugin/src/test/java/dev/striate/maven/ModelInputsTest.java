package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin fingerprints a manifest's blob only where the weights reader would read it. */
class ModelInputsTest {
    @TempDir
    Path root;
    Path dir;
    Path model;
    Path manifest;

    @BeforeEach
    void model() throws IOException {
        dir = Files.createDirectories(root.resolve("src"));
        model = Files.writeString(dir.resolve("m.cnn"), "model M {}");
        manifest = dir.resolve("m.weights.json");
    }

    private void data(String name) throws IOException {
        Files.writeString(manifest, "{\"data\": \"" + name + "\"}");
    }

    @Test
    void aBlobInsideTheFolderIsAnInput() throws IOException {
        data("m.weights.bin");
        Path blob = Files.writeString(dir.resolve("m.weights.bin"), "1234");
        assertEquals(List.of(model, manifest, blob.toRealPath()), ModelInputs.of(model, manifest));
    }

    @Test
    void aBlobOutsideTheFolderIsNeverAnInput() throws IOException {
        Path outside = Files.writeString(root.resolve("secret.bin"), "1234");
        data("../secret.bin");
        assertEquals(List.of(model, manifest), ModelInputs.of(model, manifest));
        data(outside.toAbsolutePath().toString());
        assertEquals(List.of(model, manifest), ModelInputs.of(model, manifest));
        Files.createSymbolicLink(dir.resolve("link.bin"), outside);
        data("link.bin");
        assertEquals(List.of(model, manifest), ModelInputs.of(model, manifest));
    }

    @Test
    void aDeviceIsNeverAnInput() throws IOException {
        data("/dev/zero");
        assertEquals(List.of(model, manifest), ModelInputs.of(model, manifest));
        data("zero");
        if (Files.exists(Path.of("/dev/zero"))) {
            Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
        }
        assertEquals(List.of(model, manifest), ModelInputs.of(model, manifest));
    }

    @Test
    void aHashIsStreamedAndMatchesTheContent() throws IOException {
        // the NIST test vector "one million times a", over many read buffers
        Path big = Files.writeString(dir.resolve("big.bin"), "a".repeat(1_000_000));
        assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", FileStamp.sha256(big));
    }
}
