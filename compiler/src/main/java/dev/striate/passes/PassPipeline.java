package dev.striate.passes;

import dev.striate.ir.Graph;
import java.util.List;

/**
 * The optimization pipeline: the one place that lists the passes, in order, with the modes each
 * runs in and whether it runs once or to a fixed point. {@link #optimize} is what the compiler
 * calls between binding weights and generating code ({@link Pass.Mode#INFERENCE}), and what the
 * trainer backend calls before generating a trainer ({@link Pass.Mode#TRAINING}:
 * {@code TrainerBackend.trainingGraph}); {@link #none()} is the unoptimized build (for benchmarks
 * and for checking the passes against the plain graph).
 *
 * <p>Weight pre-layout is not a pass, and has one implementation: each backend layer emitter
 * writes its kernel into the weights blob ({@code WeightBlob.add}) in the order its loops read
 * it. {@code DenseEmitter} stores {@code [units, in]} transposed as {@code [in][units]} (the
 * inner loop is unit-stride over outputs); {@code ConvTranspose2dEmitter} reorders
 * {@code [C, F/groups, kh, kw]} to {@code [F][C/groups][kh][kw]}; {@code Conv2dEmitter} reads
 * PyTorch's {@code [F, C/groups, kh, kw]} as is. The passes here rewrite weights in PyTorch's
 * canonical layout only, and the emitters lay out the rewritten tensors.
 *
 * <p>Memory planning ({@link PlanMemory}) runs after the passes, on the final graph, and is
 * logged; the backend's buffers come from the same planner.
 */
public final class PassPipeline {
    /** One pass with its settings. */
    public record Step(Pass pass, Pass.RunsIn runsIn, Pass.Repeat repeat) {
    }

    /** A fixed-point pass that still changes the graph after this many runs is a bug. */
    static final int MAX_RUNS = 50;

    private final List<Step> steps;
    private final boolean verify;

    private PassPipeline(List<Step> steps, boolean verify) {
        this.steps = List.copyOf(steps);
        this.verify = verify;
    }

    /**
     * The standard pipeline, in order. It checks the graph's invariants ({@link Verifier}) before
     * the first pass and after every pass that changes the graph, in production too: a pass that
     * breaks one is a compiler bug, caught here instead of as wrong generated code. The checks are
     * linear in the nodes (about 0.01 ms per check for the MNIST CNN, well under 1% of a compile).
     */
    public static PassPipeline standard() {
        return new PassPipeline(List.of(
                new Step(new EliminateDropout(), Pass.RunsIn.INFERENCE, Pass.Repeat.ONCE),
                new Step(new EliminateIdentity(), Pass.RunsIn.BOTH, Pass.Repeat.ONCE),
                new Step(new MergePad(), Pass.RunsIn.BOTH, Pass.Repeat.ONCE),
                new Step(new FoldBatchNorm(), Pass.RunsIn.INFERENCE, Pass.Repeat.ONCE),
                new Step(new LowerBatchNorm(), Pass.RunsIn.INFERENCE, Pass.Repeat.ONCE),
                new Step(new FoldConstants(), Pass.RunsIn.BOTH, Pass.Repeat.TO_FIXED_POINT),
                new Step(new FoldNormalization(), Pass.RunsIn.INFERENCE, Pass.Repeat.ONCE),
                new Step(new FuseActivation(), Pass.RunsIn.BOTH, Pass.Repeat.ONCE),
                new Step(new FusePool(), Pass.RunsIn.INFERENCE, Pass.Repeat.ONCE),
                new Step(new EliminateDeadNodes(), Pass.RunsIn.BOTH, Pass.Repeat.ONCE)), true);
    }

    /** No passes: the graph as the front end built it (the unoptimized build), verified. */
    public static PassPipeline none() {
        return new PassPipeline(List.of(), true);
    }

    /** A pipeline of the given steps, not verifying (for tests; see {@link #verifyingEachPass()}). */
    public static PassPipeline of(List<Step> steps) {
        return new PassPipeline(steps, false);
    }

    /** The same pipeline, checking the graph's invariants ({@link Verifier}) after every pass. */
    public PassPipeline verifyingEachPass() {
        return new PassPipeline(steps, true);
    }

    public List<Step> steps() {
        return steps;
    }

    /** Runs the standard pipeline for {@code mode}, recording into {@code log} (may be null). */
    public static Graph optimize(Graph graph, Pass.Mode mode, PassLog log) {
        return standard().run(graph, mode, log);
    }

    /**
     * Runs the steps that apply to {@code mode}, in order, then plans memory for the graph before
     * and after (when it has one input and one output). {@code log} may be null.
     *
     * @throws IllegalStateException when verifying and a pass breaks an invariant, or when a
     *                               fixed-point pass never settles
     */
    public Graph run(Graph graph, Pass.Mode mode, PassLog log) {
        PassLog record = log != null ? log : new PassLog();
        record.start(graph);
        if (verify) {
            Verifier.verifyShaped(graph);
        }
        Graph g = graph;
        for (Step step : steps) {
            if (!step.runsIn().includes(mode)) {
                continue;
            }
            Graph before = g;
            int runs = 0;
            while (true) {
                Graph next = step.pass().run(g);
                runs++;
                if (verify && next != g) {
                    try {
                        Verifier.verifyShaped(next);
                    } catch (IllegalStateException e) {
                        throw new IllegalStateException("after " + step.pass().name() + ": " + e.getMessage(), e);
                    }
                }
                boolean changed = next != g;
                g = next;
                if (!changed || step.repeat() == Pass.Repeat.ONCE) {
                    break;
                }
                if (runs >= MAX_RUNS) {
                    throw new IllegalStateException(step.pass().name() + " did not reach a fixed point in "
                            + MAX_RUNS + " runs");
                }
            }
            record.add(new PassLog.Entry(step.pass().name(), runs, before.nodes().size(), g.nodes().size(),
                    GraphDiff.describe(before, g), g));
        }
        record.memory(plannable(graph) ? PlanMemory.plan(graph) : null, plannable(g) ? PlanMemory.plan(g) : null);
        return g;
    }

    private static boolean plannable(Graph g) {
        return g.inputs().size() == 1 && g.outputs().size() == 1
                && g.nodes().stream().allMatch(n -> n.shape().isKnown());
    }
}
