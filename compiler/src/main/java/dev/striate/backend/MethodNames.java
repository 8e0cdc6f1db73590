package dev.striate.backend;

import dev.striate.text.JavaText;
import java.util.HashSet;
import java.util.Set;

/**
 * Java method names for layers: the layer name itself when it is an ASCII identifier that clashes
 * with nothing in the generated class ({@code conv2d_1}), otherwise a cleaned, prefixed and
 * numbered variant ({@link JavaText#identifier}). Deterministic for a given sequence of layer names.
 */
final class MethodNames {
    private static final Set<String> RESERVED = Set.of("load", "predict", "predictBatch", "classify", "labels",
            "label", "run", "decode", "append", "checkLength", "checkBatch", "sharedWeights", "resourceWeights",
            "embeddedWeights", "main", "newRows", "tanhExp");

    private final Set<String> used = new HashSet<>();

    String forLayer(String layerName) {
        return JavaText.identifier(layerName, "layer_",
                base -> RESERVED.contains(base) || base.startsWith("softmax_") || isRunChunk(base), used);
    }

    /** The names {@link RunMethods} gives the chunks of a deep model's forward pass: {@code run7}, {@code runGroup2_0}. */
    private static boolean isRunChunk(String name) {
        return name.matches("run[0-9]+") || name.startsWith("runGroup");
    }
}
