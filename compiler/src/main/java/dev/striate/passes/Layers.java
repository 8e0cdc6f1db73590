package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import java.util.List;

/**
 * Graph queries the folding and fusing passes share. What they need to know about the weighted
 * linear layers (activation, bias, copies with those changed) is {@link dev.striate.ir.LinearLayer}.
 */
final class Layers {
    private Layers() {
    }

    /**
     * The one node reading {@code name}, or null when it has none or several readers, or when
     * {@code name} is a graph output (its value must stay visible).
     */
    static Node soleReader(Graph graph, String name) {
        if (graph.outputs().contains(name)) {
            return null;
        }
        List<Node> readers = graph.consumers(name);
        if (readers.size() != 1 || readers.get(0).inputs().stream().filter(name::equals).count() != 1) {
            return null;
        }
        return readers.get(0);
    }
}
