package dev.striate.bench;

import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch-1 latency of the generated {@code predict(float[], float[])}: each model compiled with
 * the standard pass pipeline ({@code optimized=true}) and without passes ({@code false}, the
 * graph as the front end built it). The backend is the same for both, so the difference is
 * what the passes buy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PredictBenchmark {
    @Param({"lenet5", "mnist_cnn", "mnist_cnn_layers", "tiny_resnet"})
    public String model;

    @Param({"true", "false"})
    public boolean optimized;

    private GeneratedModel generated;
    private float[] input;
    private float[] output;

    @Setup
    public void setUp() {
        Graph graph = BenchModels.load(model);
        PassLog log = new PassLog();
        PassPipeline pipeline = optimized ? PassPipeline.standard() : PassPipeline.none();
        Graph g = pipeline.run(graph, Pass.Mode.INFERENCE, log);
        if (optimized) {
            System.out.println();
            System.out.print(log);
        }
        generated = GeneratedModel.of(g, optimized ? "Optimized" : "Unoptimized");
        input = new float[generated.inputSize()];
        Random random = new Random(42);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        output = new float[generated.outputSize()];
    }

    @Benchmark
    public float[] predict() {
        generated.predict(input, output);
        return output;
    }
}
