package dev.striate.backend.train;

import dev.striate.ir.Graph;
import dev.striate.testing.TestModels;
import dev.striate.train.TrainableModel;
import java.util.Random;

/**
 * Training throughput of the generated trainer on the Keras MNIST CNN (a benchmark, not a test):
 * forward + backward over batches of 64 random images, reported in images per second, per layer
 * phase when {@code -Dphases=true}. Run with the test classpath:
 * {@code java -cp ... dev.striate.backend.train.TrainerBenchmark [seconds]}.
 */
public final class TrainerBenchmark {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private TrainerBenchmark() {
    }

    /** Times every generated layer method on its own (reflection; forward methods first, then backward). */
    private static void phases(TrainableModel.Worker w, int n) {
        try {
            for (java.lang.reflect.Method m : w.getClass().getDeclaredMethods()) {
                if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class) {
                    m.setAccessible(true);
                    long t0 = CPU.getCurrentThreadCpuTime();
                    for (int i = 0; i < 5; i++) {
                        m.invoke(w, n);
                    }
                    System.out.printf("  %-32s %8.2f ms%n", m.getName(), (CPU.getCurrentThreadCpuTime() - t0) / 5e6);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Graph g = TestModels.mnistCnn(1).build();
        TrainableModel m = TrainerBackend.load(g);
        int n = 64;
        TrainableModel.Worker w = m.newWorker(n);
        Random r = new Random(1);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] out = new float[n * 10];
        float[] dOut = new float[n * 10];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = (r.nextFloat() - 0.5f) / n;
        }
        long end = CPU.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
        long fwd = 0;
        long bwd = 0;
        int batches = 0;
        while (CPU.getCurrentThreadCpuTime() < end) {
            long t0 = CPU.getCurrentThreadCpuTime();
            w.forward(x, n, out, batches);
            long t1 = CPU.getCurrentThreadCpuTime();
            w.backward(dOut, n);
            long t2 = CPU.getCurrentThreadCpuTime();
            if (batches >= 10) {
                fwd += t1 - t0;
                bwd += t2 - t1;
            }
            batches++;
        }
        int measured = batches - 10;
        if (Boolean.getBoolean("phases")) {
            phases(w, n);
        }
        System.out.printf("1 thread: %d batches, forward %.2f ms, backward %.2f ms per batch, %.0f images/s%n",
                measured, fwd / 1e6 / measured, bwd / 1e6 / measured, measured * (double) n / ((fwd + bwd) / 1e9));
    }
}
