import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's single-core float32 FMA peak, for the "% of peak" columns of
 * {@code tools/bench/inference.sh}: one thread runs a loop of {@value #ACCUMULATORS} independent
 * vector FMA chains ({@code acc = acc * b + c}, no loads or stores in the loop: enough chains in
 * flight to cover the FMA latency on two FMA ports), on the JVM's preferred species (or on 256
 * bits with {@code -Dfma.bits=256}). C2 compiles each {@code fma} to one {@code vfmadd}
 * instruction on registers. A multiply-add counts 2 FLOPs, as Striate's {@code summary} does;
 * the figure is the best of {@value #RUNS} timed runs of at least 200 ms each, after a warm-up.
 * Prints a {@code PEAK jdk=.. species=.. lanes=.. gflops=..} line.
 *
 * <pre>java --add-modules jdk.incubator.vector [-Dfma.bits=256] tools/bench/FmaPeak.java</pre>
 */
public final class FmaPeak {
    private static final int ACCUMULATORS = 12;
    private static final int RUNS = 7;
    /**
     * The species measured: the preferred one, or 256 bits with {@code -Dfma.bits=256}. A static
     * final field, because the Vector API compiles to vector instructions only when the species
     * is a constant to C2 (passed as an argument, the loop ran 50x slower).
     */
    private static final VectorSpecies<Float> SPECIES = "256".equals(System.getProperty("fma.bits"))
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {
    }

    public static void main(String[] args) {
        long iterations = 1_000_000;
        for (int i = 0; i < 5; i++) {
            loop(iterations);                       // warm-up: C2 compiles the loop
        }
        while (time(iterations) < 100_000_000L) {
            iterations *= 2;
        }
        iterations *= 2;
        double[] gflops = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            gflops[r] = 2.0 * SPECIES.length() * ACCUMULATORS * iterations / time(iterations);
        }
        Arrays.sort(gflops);
        System.out.printf("PEAK jdk=%d species=%d-bit lanes=%d gflops=%.2f median_gflops=%.2f preferred=%s%n",
                Runtime.version().feature(), SPECIES.vectorBitSize(), SPECIES.length(), gflops[RUNS - 1],
                gflops[RUNS / 2], SPECIES == FloatVector.SPECIES_PREFERRED);
    }

    private static long time(long iterations) {
        long start = System.nanoTime();
        float sink = loop(iterations);
        long ns = System.nanoTime() - start;
        if (sink == 42.0f) {
            System.out.println();                   // keeps the result alive
        }
        return ns;
    }

    private static float loop(long iterations) {
        VectorSpecies<Float> s = SPECIES;
        FloatVector b = FloatVector.broadcast(s, 0.999999f);
        FloatVector c = FloatVector.broadcast(s, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(s, 1.0f);
        FloatVector a1 = FloatVector.broadcast(s, 1.1f);
        FloatVector a2 = FloatVector.broadcast(s, 1.2f);
        FloatVector a3 = FloatVector.broadcast(s, 1.3f);
        FloatVector a4 = FloatVector.broadcast(s, 1.4f);
        FloatVector a5 = FloatVector.broadcast(s, 1.5f);
        FloatVector a6 = FloatVector.broadcast(s, 1.6f);
        FloatVector a7 = FloatVector.broadcast(s, 1.7f);
        FloatVector a8 = FloatVector.broadcast(s, 1.8f);
        FloatVector a9 = FloatVector.broadcast(s, 1.9f);
        FloatVector a10 = FloatVector.broadcast(s, 2.0f);
        FloatVector a11 = FloatVector.broadcast(s, 2.1f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(b, c);
            a1 = a1.fma(b, c);
            a2 = a2.fma(b, c);
            a3 = a3.fma(b, c);
            a4 = a4.fma(b, c);
            a5 = a5.fma(b, c);
            a6 = a6.fma(b, c);
            a7 = a7.fma(b, c);
            a8 = a8.fma(b, c);
            a9 = a9.fma(b, c);
            a10 = a10.fma(b, c);
            a11 = a11.fma(b, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
