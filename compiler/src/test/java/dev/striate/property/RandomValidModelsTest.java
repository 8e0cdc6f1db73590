package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random valid models ({@link RandomModels}) with random weights go through the whole pipeline
 * as a user's would: the {@code .cnn} file and a weights manifest on disk, {@link Compiler#compile}
 * optimized and with {@code --no-optimize}, the generated class compiled by javac
 * ({@link CompiledModel}) and run on random inputs; both must match the double-precision
 * {@link ReferenceInterpreter} on the unoptimized graph within {@link Tolerance}. The seed is fixed
 * so that CI is reproducible; the shapes, ops and arguments are random within it. Explore other
 * seeds by changing {@code seed} (or removing it: jqwik then draws one and prints it).
 */
public class RandomValidModelsTest {
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static final AtomicInteger LAYERS = new AtomicInteger();
    private static final java.util.Map<String, Integer> OPS = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 50, seed = "20261202", shrinking = ShrinkingMode.OFF)
    void randomValidModelCompilesAndMatchesTheReference(@ForAll("seeds") long seed) throws IOException {
        Random random = new Random(seed);
        String name = "Random" + Long.toHexString(seed & 0xffffffL);
        RandomModels.Model model = RandomModels.draw(random, name);
        Path dir = Files.createTempDirectory("striate-property");
        try {
            check(model, random, dir);
        } catch (CompileException e) {
            throw new AssertionError("a valid model was refused: " + e.getMessage() + "\n" + model, e);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + model, e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void check(RandomModels.Model model, Random random, Path dir) throws IOException {
        Path source = dir.resolve("model.cnn");
        Files.writeString(source, model.source(), StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        WeightsFile.write(dir.resolve("model.weights.json"), randomWeights(graph, random));
        Graph bound = Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
        TRIES.incrementAndGet();
        LAYERS.addAndGet(bound.nodes().size());
        for (String step : model.steps().split(" -> ")) {
            OPS.merge(step.substring(0, step.indexOf('[')), 1, Integer::sum);
        }

        int inputSize = bound.nodes().get(0).shape().size();
        List<float[]> inputs = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            float[] x = new float[inputSize];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            inputs.add(x);
        }
        // optimized, --no-optimize, and the optimized vector variant (on the Vector API when this JVM has the module)
        for (String mode : new String[] {"optimized", "--no-optimize", "--vector"}) {
            boolean optimize = !mode.equals("--no-optimize");
            boolean vector = mode.equals("--vector");
            Path out = dir.resolve(mode.replace("-", ""));
            CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                    .sourceOutput(out).optimize(optimize).vector(vector).build());
            CompiledModel compiled = vector
                    ? CompiledModel.compile(result.files(), CompiledModel.VECTOR_OPTIONS.toArray(new String[0]))
                    : CompiledModel.compile(result.files());
            CompiledModel.Instance instance = compiled.load();
            for (int t = 0; t < inputs.size(); t++) {
                double[] want = ReferenceInterpreter.run(bound, inputs.get(t));
                float[] got = instance.predict(inputs.get(t));
                assertEquals(want.length, got.length, "output size");
                Tolerance.assertClose(want, got, mode + " input " + t);
            }
        }
    }

    /**
     * Random weights for every tensor the graph needs: values in [-0.5, 0.5], batch-norm scales
     * and variances in [0.5, 1.5], so that a chain of a few layers stays in a sane range.
     */
    public static WeightSet randomWeights(Graph graph, Random random) {
        List<Tensor> tensors = new ArrayList<>();
        for (Node n : graph.nodes()) {
            for (ParamSpec p : n.op().params(graph.inputShapes(n))) {
                float[] values = new float[p.shape().size()];
                boolean positive = p.name().equals("running_var") || p.init() == ParamSpec.Init.ONES;
                for (int i = 0; i < values.length; i++) {
                    values[i] = positive ? 0.5f + random.nextFloat() : random.nextFloat() - 0.5f;
                }
                tensors.add(new Tensor(n.name() + "." + p.name(), p.shape().dims(), values));
            }
        }
        return WeightSet.of(graph.name(), tensors);
    }

    @AfterContainer
    static void report() {
        System.out.println("random valid models: " + TRIES.get() + " models, " + LAYERS.get()
                + " nodes, each compiled optimized, --no-optimize and --vector and matched against the reference; steps "
                + OPS);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
