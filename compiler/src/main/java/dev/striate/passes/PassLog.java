package dev.striate.passes;

import dev.striate.ir.Graph;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link PassPipeline} did, pass by pass: node counts before and after, what changed, and
 * the graph after each pass (for {@code striate compile --dump-ir}); then the memory plan of the
 * graph before and after optimization. {@link #toString()} is the readable report.
 */
public final class PassLog {
    /** One pass's run: how many times it ran (fixed-point passes may run several times) and its effect. */
    public record Entry(String pass, int runs, int nodesBefore, int nodesAfter, List<String> changes, Graph after) {
        public Entry {
            changes = List.copyOf(changes);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private Graph input;
    private MemoryPlan memoryBefore;
    private MemoryPlan memoryAfter;

    void start(Graph graph) {
        input = graph;
    }

    void add(Entry e) {
        entries.add(e);
    }

    void memory(MemoryPlan before, MemoryPlan after) {
        memoryBefore = before;
        memoryAfter = after;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The graph the pipeline started from. */
    public Graph input() {
        return input;
    }

    /** Memory plan of the unoptimized graph, or null when not planned (e.g. several outputs). */
    public MemoryPlan memoryBefore() {
        return memoryBefore;
    }

    /** Memory plan of the optimized graph, or null when not planned. */
    public MemoryPlan memoryAfter() {
        return memoryAfter;
    }

    /** The IR after each pass, headed by the pass name, as {@code --dump-ir} prints it. */
    public String dumpIr() {
        StringBuilder sb = new StringBuilder("// input\n").append(input);
        for (Entry e : entries) {
            sb.append("// after ").append(e.pass()).append('\n').append(e.after());
        }
        return sb.toString();
    }

    /**
     * The report, one line per pass then its changes:
     * {@code FoldBatchNorm           20 -> 14 nodes}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (input != null) {
            sb.append("model ").append(input.name()).append(": ").append(input.nodes().size()).append(" nodes\n");
        }
        for (Entry e : entries) {
            sb.append(String.format("%-20s %3d -> %3d nodes%s%n", e.pass(), e.nodesBefore(), e.nodesAfter(),
                    e.runs() > 1 ? " (" + e.runs() + " runs)" : ""));
            for (String c : e.changes()) {
                sb.append("    ").append(c).append('\n');
            }
        }
        if (memoryBefore != null) {
            sb.append("memory before passes: ").append(memoryBefore).append('\n');
        }
        if (memoryAfter != null) {
            sb.append("memory after passes:  ").append(memoryAfter).append('\n');
        }
        return sb.toString();
    }
}
