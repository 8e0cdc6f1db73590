package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pass log of the three reference models (the PyTorch fixtures), pinned: node counts before
 * and after, and scratch bytes without and with memory planning, before and after the passes.
 */
class ModelPassLogTest {

    private static PassLog optimize(String fixture) {
        Graph g = OptimizedFixturesTest.load(fixture);
        PassLog log = new PassLog();
        PassPipeline.standard().verifyingEachPass().run(g, Pass.Mode.INFERENCE, log);
        return log;
    }

    private static void assertNodes(PassLog log, int before, int after) {
        List<PassLog.Entry> e = log.entries();
        assertEquals(before, e.get(0).nodesBefore(), log::toString);
        assertEquals(after, e.get(e.size() - 1).nodesAfter(), log::toString);
    }

    private static void assertScratchBytes(MemoryPlan plan, long unplanned, long planned) {
        assertEquals(unplanned, plan.unplannedFloats() * 4, plan::toString);
        assertEquals(planned, plan.plannedFloats() * 4, plan::toString);
        assertEquals(plan.peakLiveFloats(), plan.plannedFloats(), "a chain's plan reaches the peak");
    }

    @Test
    void lenet5FusesBothPoolsIntoItsConvs() {
        PassLog log = optimize("lenet5");
        assertNodes(log, 9, 7);
        assertScratchBytes(log.memoryBefore(), 32_336, 23_520);
        assertScratchBytes(log.memoryAfter(), 7_120, 6_304);
        String report = log.toString();
        assertTrue(report.contains("FusePool               9 ->   7 nodes\n"
                + "    removed avgpool_1 (avgpool), avgpool_2 (avgpool)\n"), report);
    }

    @Test
    void mnistCnnFusesBothPoolsIntoItsConvs() {
        PassLog log = optimize("mnist_cnn");
        assertNodes(log, 9, 7);
        assertScratchBytes(log.memoryBefore(), 148_096, 108_160);
        assertScratchBytes(log.memoryAfter(), 30_592, 28_032);
        String report = log.toString();
        assertTrue(report.contains("FusePool               9 ->   7 nodes\n"
                + "    removed maxpool_1 (maxpool), maxpool_2 (maxpool)\n"), report);
        assertTrue(report.contains("    rewired conv2d_3 <- conv2d_2\n"), report);
    }

    @Test
    void tinyResnetLosesItsBatchNormsAndStandaloneActivations() {
        PassLog log = optimize("tiny_resnet");
        assertNodes(log, 23, 13);
        assertScratchBytes(log.memoryBefore(), 118_888, 24_576);
        assertScratchBytes(log.memoryAfter(), 61_504, 24_576);
        String report = log.toString();
        assertTrue(report.contains("FoldBatchNorm         23 ->  17 nodes\n    removed stem_bn (batchnorm), "), report);
        assertTrue(report.contains("FuseActivation        17 ->  13 nodes\n"), report);
        assertTrue(report.contains("    weights dropped: stem_bn.{weight,bias,running_mean,running_var}, "), report);
    }
}
