package dev.striate.maven;

import dev.striate.weights.WeightsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one compilation reads: the model, its weights manifest and the blob the manifest
 * names. A change to any of them makes the model's generated class stale.
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * The model, the manifest and the manifest's {@code data} blob, each only if it exists. The
     * blob is found by the weights reader's own rules ({@link WeightsFile#dataFile}): a {@code data}
     * field that leaves the manifest's folder, or names anything but a regular file, adds nothing
     * (and is never opened); the compiler will report it.
     */
    public static List<Path> of(Path model, Path manifest) {
        List<Path> inputs = new ArrayList<>();
        inputs.add(model);
        if (Files.isRegularFile(manifest)) {
            inputs.add(manifest);
            WeightsFile.dataFile(manifest).ifPresent(inputs::add);
        }
        return List.copyOf(inputs);
    }
}
