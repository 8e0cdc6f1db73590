package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes whose value reaches no graph output, with their weights. Model inputs are kept
 * even when unused, since they are part of the generated class's API. Exact in any mode.
 */
public final class EliminateDeadNodes implements Pass {
    @Override
    public Graph run(Graph graph) {
        Set<String> live = new HashSet<>();
        List<String> work = new ArrayList<>(graph.outputs());
        while (!work.isEmpty()) {
            String name = work.remove(work.size() - 1);
            if (live.add(name)) {
                work.addAll(graph.node(name).inputs());
            }
        }
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (!live.contains(n.name()) && !(n.op() instanceof Input)) {
                edit.drop(n.name());
            }
        }
        return edit.build();
    }
}
