package dev.striate.backend.train;

import dev.striate.ir.Graph;
import dev.striate.testing.TestModels;
import dev.striate.train.TrainableModel;
import java.util.Random;

/**
 * Training throughput of the generated trainer on the Keras MNIST CNN (a benchmark, not a test):
 * forward + backward over batches of 64 random images, in images per second of thread CPU time on
 * one thread (robust on a shared machine), per layer with {@code -Dphases=true}, and in wall-clock
 * time with the batch split over two workers on two threads. Run with the test classpath:
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

    /** Wall-clock throughput with the batch split over two workers on two threads, gradients summed in order. */
    private static void twoThreads(TrainableModel m, float[] x, float[] dOut, int n, double seconds) {
        int half = n / 2;
        TrainableModel.Worker[] workers = {m.newWorker(half), m.newWorker(half)};
        float[][] xs = {java.util.Arrays.copyOfRange(x, 0, half * 784), java.util.Arrays.copyOfRange(x, half * 784, n * 784)};
        float[][] ds = {java.util.Arrays.copyOfRange(dOut, 0, half * 10), java.util.Arrays.copyOfRange(dOut, half * 10, n * 10)};
        float[][] outs = {new float[half * 10], new float[half * 10]};
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            long batches = 0;
            long start = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                if (batches == 10) {
                    start = System.nanoTime();
                }
                java.util.concurrent.Future<?> other = pool.submit(() -> {
                    workers[1].forward(xs[1], half, outs[1], 1);
                    workers[1].backward(ds[1], half);
                });
                workers[0].forward(xs[0], half, outs[0], 0);
                workers[0].backward(ds[0], half);
                other.get();
                float[][] g0 = workers[0].gradients();
                float[][] g1 = workers[1].gradients();
                for (int p = 0; p < g0.length; p++) {
                    for (int i = 0; i < g0[p].length; i++) {
                        g0[p][i] += g1[p][i];
                    }
                }
                batches++;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("2 threads (wall clock): %.0f images/s%n", (batches - 10) * (double) n / secs);
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
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
        twoThreads(m, x, dOut, n, seconds);
        System.out.printf("1 thread: %d batches, forward %.2f ms, backward %.2f ms per batch, %.0f images/s%n",
                measured, fwd / 1e6 / measured, bwd / 1e6 / measured, measured * (double) n / ((fwd + bwd) / 1e9));
    }
}
