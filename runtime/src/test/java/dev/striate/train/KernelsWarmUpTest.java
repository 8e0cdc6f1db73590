package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#warmUp} gets the vector kernels compiled by C2 before training: afterwards a
 * ReLU gradient over 1,024 floats stops allocating (the Java fallback boxes every vector: ~60 KB
 * a call) within a few seconds, although this test itself calls it only a few dozen times, far
 * below HotSpot's thresholds for a C2 compile.
 */
class KernelsWarmUpTest {
    private static final com.sun.management.ThreadMXBean THREAD =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void afterTheWarmUpTheReluGradientNoLongerBoxesVectors() throws InterruptedException {
        assumeTrue(VectorModule.KERNEL.equals("vector"), "the plain kernel allocates nothing anyway");
        float[] y = new float[1024];
        float[] dy = new float[1024];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i % 5) - 2f;
            dy[i] = i;
        }
        Kernels.warmUp();
        long bytes = Long.MAX_VALUE;
        for (int probe = 0; probe < 100 && bytes > 1_000; probe++) {
            Thread.sleep(100);
            long before = THREAD.getCurrentThreadAllocatedBytes();
            Kernels.reluGrad(y, dy, 0, y.length);
            bytes = THREAD.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(bytes <= 1_000, "a ReLU gradient over 1,024 floats still allocates " + bytes + " bytes");
        for (int i = 0; i < y.length; i++) {
            assertTrue(dy[i] == (y[i] > 0f ? i : 0f), "element " + i);
        }
    }

    /**
     * The trainer's Winograd layers allocate nothing in steady state (their vector transforms fully
     * intrinsified): a first version, one loop of 48 vector operations, boxed 3-5 MB per layer call in the
     * trainer. It runs long enough that C2 compiles the layer without the warm-up too: it checks the
     * steady state, not that the warm-up is what reaches it.
     */
    @Test
    void afterTheWarmUpAWinogradLayerNoLongerBoxesVectors() throws InterruptedException {
        assumeTrue(VectorModule.KERNEL.equals("vector"), "the plain kernel allocates nothing anyway");
        int c = 64;
        int h = 14;
        float[] x = new float[2 * c * h * h];
        float[] y = new float[2 * c * h * h];
        float[] wt = new float[c * c * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5) - 2f;
        }
        Gemm gemm = new Gemm();
        Winograd.forward(gemm, wt, null, x, y, 2, c, h, h, c, h, h, 1, 1); // buffers sized
        Kernels.warmUp();
        long bytes = Long.MAX_VALUE;
        for (int probe = 0; probe < 100 && bytes > 1_000; probe++) {
            Thread.sleep(100);
            long before = THREAD.getCurrentThreadAllocatedBytes();
            Winograd.forward(gemm, wt, null, x, y, 2, c, h, h, c, h, h, 1, 1);
            bytes = THREAD.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(bytes <= 1_000, "a 64 -> 64 Winograd layer on 2 samples still allocates " + bytes + " bytes");
    }
}
