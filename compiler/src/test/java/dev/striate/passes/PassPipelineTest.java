package dev.striate.passes;

import static dev.striate.passes.Ops.bn;
import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.dense;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.Ops.rescale;
import static dev.striate.passes.PassAssertions.assertEquivalent;
import static dev.striate.passes.PassAssertions.assertKinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassPipelineTest {

    /** rescale -> conv(same) -> batchnorm -> relu -> dropout -> flatten -> dense -> linear -> softmax. */
    private static Graph model() {
        GraphBuilder b = new GraphBuilder("Small", 7);
        String h = b.input(Shape.chw(1, 8, 8));
        h = b.add("scale", rescale(1f / 255, 0f), h);
        h = b.add("c", conv(4, 3, new Padding.Same(), false, Activation.IDENTITY), h);
        h = b.add("c_bn", bn(), h);
        h = b.add("c_relu", relu(), h);
        h = b.add("drop", new Dropout(0.3f), h);
        h = b.add("flat", new Flatten(), h);
        h = b.add("fc", dense(5, true, Activation.IDENTITY), h);
        h = b.add("lin", Ops.act(Activation.IDENTITY), h);
        return b.build(b.add("probs", Ops.act(Activation.SOFTMAX), h));
    }

    @Test
    void standardPipelineListsThePassesInOrderWithTheirSettings() {
        List<String> listed = new ArrayList<>();
        for (PassPipeline.Step s : PassPipeline.standard().steps()) {
            listed.add(s.pass().name() + " " + s.runsIn() + " " + s.repeat());
        }
        assertEquals(List.of(
                "EliminateDropout INFERENCE ONCE",
                "EliminateIdentity BOTH ONCE",
                "MergePad BOTH ONCE",
                "FoldBatchNorm INFERENCE ONCE",
                "LowerBatchNorm INFERENCE ONCE",
                "FoldConstants BOTH TO_FIXED_POINT",
                "FoldNormalization INFERENCE ONCE",
                "FuseActivation BOTH ONCE",
                "FusePool INFERENCE ONCE",
                "EliminateDeadNodes BOTH ONCE"), listed);
    }

    @Test
    void inferenceLeavesOneConvAndOneDense() {
        Graph g = model();
        PassLog log = new PassLog();

        Graph out = PassPipeline.standard().verifyingEachPass().run(g, Pass.Mode.INFERENCE, log);

        assertKinds(out, "input", "conv2d", "flatten", "dense");
        assertEquals(Activation.RELU, ((dev.striate.ir.Conv2d) out.node("c").op()).activation());
        assertEquals(Activation.SOFTMAX, ((dev.striate.ir.Dense) out.node("fc").op()).activation());
        assertEquals(List.of("fc"), out.outputs());
        assertEquivalent(g, out, 5);
        assertEquals(List.of("c.weight", "c.bias", "fc.weight", "fc.bias"), List.copyOf(out.weights().keySet()));
    }

    @Test
    void trainingKeepsDropoutBatchNormAndTheInputScale() {
        Graph out = PassPipeline.standard().verifyingEachPass().run(model(), Pass.Mode.TRAINING, null);

        assertKinds(out, "input", "rescale", "conv2d", "batchnorm", "relu", "dropout", "flatten", "dense");
        assertEquals(Activation.SOFTMAX, ((dev.striate.ir.Dense) out.node("fc").op()).activation());
    }

    @Test
    void logRecordsEachPassNodeCountsChangesAndMemory() {
        PassLog log = new PassLog();
        PassPipeline.optimize(model(), Pass.Mode.INFERENCE, log);

        assertEquals(10, log.entries().size());
        PassLog.Entry fold = log.entries().get(3);
        assertEquals("FoldBatchNorm", fold.pass());
        assertEquals(8, fold.nodesBefore());
        assertEquals(7, fold.nodesAfter());
        assertTrue(fold.changes().contains("removed c_bn (batchnorm)"), fold.changes().toString());
        assertTrue(fold.changes().contains("c: conv2d(4, kernel=3x3, padding=same, bias=false) -> "
                + "conv2d(4, kernel=3x3, padding=same)"), fold.changes().toString());
        assertTrue(fold.changes().contains("weights rewritten: c.weight"), fold.changes().toString());
        assertTrue(fold.changes().contains("weights created: c.bias"), fold.changes().toString());
        assertNotNull(log.memoryBefore());
        assertTrue(log.memoryAfter().unplannedFloats() < log.memoryBefore().unplannedFloats());
        String report = log.toString();
        assertTrue(report.startsWith("model Small: 10 nodes\nEliminateDropout      10 ->   9 nodes\n"
                + "    removed drop (dropout)\n"), report);
        assertTrue(report.contains("memory after passes:  scratch"), report);
        assertTrue(log.dumpIr().contains("// after FuseActivation\ngraph Small {"), log.dumpIr());
    }

    @Test
    void unoptimizedPipelineReturnsTheGraph() {
        Graph g = model();
        assertSame(g, PassPipeline.none().run(g, Pass.Mode.INFERENCE, null));
    }

    @Test
    void verificationNamesThePassThatBrokeTheGraph() {
        Pass broken = new Pass() {
            @Override
            public String name() {
                return "DropFirstLayer";
            }

            @Override
            public Graph run(Graph graph) {
                List<Node> nodes = new ArrayList<>(graph.nodes());
                nodes.remove(1);
                return graph.withNodes(nodes);
            }
        };
        PassPipeline p = PassPipeline.of(List.of(new PassPipeline.Step(broken, Pass.RunsIn.BOTH, Pass.Repeat.ONCE)))
                .verifyingEachPass();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.run(model(), Pass.Mode.INFERENCE, null));
        assertTrue(e.getMessage().startsWith("after DropFirstLayer: invalid graph Small"), e.getMessage());
    }

    @Test
    void aFixedPointPassThatNeverSettlesIsReported() {
        Pass restless = g -> g.withNodes(g.nodes());
        PassPipeline p = PassPipeline.of(List.of(new PassPipeline.Step(restless, Pass.RunsIn.BOTH,
                Pass.Repeat.TO_FIXED_POINT)));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.run(model(), Pass.Mode.INFERENCE, null));
        assertTrue(e.getMessage().endsWith("did not reach a fixed point in 50 runs"), e.getMessage());
    }

    @Test
    void passesThatDoNotApplyToTheModeAreSkipped() {
        PassLog log = new PassLog();
        PassPipeline.optimize(model(), Pass.Mode.TRAINING, log);

        assertEquals(List.of("EliminateIdentity", "MergePad", "FoldConstants", "FuseActivation", "EliminateDeadNodes"),
                log.entries().stream().map(PassLog.Entry::pass).toList());
    }
}
