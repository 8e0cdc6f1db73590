package dev.striate.backend;

import dev.striate.ir.Graph;
import java.util.List;

/**
 * Emits the standalone classifier for a shaped graph with bound weights: one public final
 * class using only {@code java.base}, plus its weights blob unless single-file mode is on.
 * Deterministic: the same graph and options give byte-identical files.
 */
public final class JavaBackend {
    private JavaBackend() {
    }

    public static List<GeneratedFile> generate(Graph graph, GenerateOptions options) {
        throw new UnsupportedOperationException("TODO backend");
    }
}
