package dev.striate.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one compilation reads: the model, its weights manifest and the blob the manifest
 * names. A change to any of them makes the model's generated class stale.
 */
public final class ModelInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelInputs() {
    }

    /**
     * The model, the manifest and the manifest's {@code data} blob, each only if it exists. A
     * manifest that cannot be read adds nothing more: the compiler will report it.
     */
    public static List<Path> of(Path model, Path manifest) {
        List<Path> inputs = new ArrayList<>();
        inputs.add(model);
        if (Files.isRegularFile(manifest)) {
            inputs.add(manifest);
            Path blob = dataFile(manifest);
            if (blob != null && Files.isRegularFile(blob)) {
                inputs.add(blob);
            }
        }
        return List.copyOf(inputs);
    }

    private static Path dataFile(Path manifest) {
        try {
            JsonNode data = JSON.readTree(manifest.toFile()).path("data");
            if (!data.isTextual() || data.asText().isEmpty()) {
                return null;
            }
            return manifest.resolveSibling(data.asText()).normalize();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
