package dev.striate.backend;

import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.passes.MemoryPlan;
import dev.striate.passes.PlanMemory;
import java.util.List;

/**
 * Where each value of the graph lives while {@code predict} runs: the plan of
 * {@link PlanMemory} (the one liveness planner), with the ops whose emitter aliases its input
 * (input, flatten, dropout) as views. The input is read from the caller's array, the output
 * written to the caller's array, every other value gets one of a few reused scratch buffers.
 */
final class BufferPlan {
    static final String INPUT = MemoryPlan.INPUT;
    static final String OUTPUT = MemoryPlan.OUTPUT;

    private final MemoryPlan plan;

    /** Plans storage for {@code nodes} (topological, all needed for the single output). */
    BufferPlan(Graph graph, List<Node> nodes, String output) {
        plan = PlanMemory.plan(graph, nodes, output);
    }

    /** The array expression holding node {@code name}: {@code input}, {@code output} or {@code bufK}. */
    String storageOf(String name) {
        return plan.storageOf(name);
    }

    /** Sizes of the scratch buffers {@code buf0, buf1, ...}. */
    List<Integer> bufferSizes() {
        return plan.bufferSizes();
    }

    /** True when the output is the input itself (only aliases between them): predict copies. */
    boolean outputIsInput() {
        return plan.outputIsInput();
    }

    /** The node whose method writes the output (the output node, or what it aliases). */
    String outputRoot() {
        return plan.outputRoot();
    }
}
