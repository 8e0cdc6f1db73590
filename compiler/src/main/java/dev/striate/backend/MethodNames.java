package dev.striate.backend;

import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java method names for layers: the layer name itself when it is a valid identifier that clashes
 * with nothing in the generated class ({@code conv2d_1}), otherwise a cleaned, prefixed and
 * numbered variant. Deterministic for a given sequence of layer names.
 */
final class MethodNames {
    private static final Set<String> RESERVED = Set.of("load", "predict", "predictBatch", "classify", "labels",
            "label", "run", "decode", "append", "checkLength", "sharedWeights", "resourceWeights",
            "embeddedWeights", "main");

    private final Set<String> used = new HashSet<>();

    String forLayer(String layerName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < layerName.length(); i++) {
            char c = layerName.charAt(i);
            sb.append(Character.isJavaIdentifierPart(c) && c != '$' ? c : '_');
        }
        String base = sb.toString();
        if (base.isEmpty() || !Character.isJavaIdentifierStart(base.charAt(0)) || SourceVersion.isKeyword(base)
                || RESERVED.contains(base) || base.startsWith("softmax_") || isRunChunk(base)) {
            base = "layer_" + base;
        }
        String name = base;
        for (int k = 2; !used.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    /** The names {@link RunMethods} gives the chunks of a deep model's forward pass: {@code run7}, {@code runGroup2_0}. */
    private static boolean isRunChunk(String name) {
        return name.matches("run[0-9]+") || name.startsWith("runGroup");
    }
}
