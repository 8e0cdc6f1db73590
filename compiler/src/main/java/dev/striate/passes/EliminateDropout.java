package dev.striate.passes;

import dev.striate.ir.Dropout;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;

/**
 * Removes every {@code dropout} node; its readers (and the outputs) read its input instead.
 * Exact at inference, where dropout is the identity; never run for training.
 */
public final class EliminateDropout implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Dropout) {
                edit.remove(n.name(), n.inputs().get(0));
            }
        }
        return edit.build();
    }
}
