package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.CompiledModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SteadyStateAllocationTest}'s promise in a JVM of its own started with {@code -Xbatch}: C2 then compiles each
 * method when it becomes hot, in the order the calls make them hot, before the call goes on. That order decides what
 * C2 inlines into what, and so whether a Vector API call past its inlining budget is left as a call that boxes its
 * vectors: JDK 17's C2 boxed the stores of the 4 x 6 direct kernel's straight-line epilogue on every call of the
 * Fashion CNN's 7x7 layer (200 KB a prediction) under {@code -Xbatch} while the test JVM's own background compilation
 * allocated nothing (docs/vector.md, "Known limits"). The child runs the class on the test's JDK, with the vector
 * module, 20,000 calls, then reports the fewest bytes 200 calls allocated (of 50 windows).
 */
class BatchCompiledAllocationTest {
    private static final int WARM_CALLS = 20_000;
    private static final int WINDOW = 200;
    private static final int WINDOWS = 50;

    /** The child's program, run by the source launcher: {@code Probe <class> <warm> <window> <windows>}. */
    private static final String PROBE = """
            import com.sun.management.ThreadMXBean;
            import java.lang.management.ManagementFactory;
            import java.util.Random;

            public final class Probe {
                public static void main(String[] args) throws Throwable {
                    Class<?> k = Class.forName(args[0]);
                    Object model = k.getMethod("load").invoke(null);
                    float[] input = new float[k.getField("INPUT_SIZE").getInt(null)];
                    float[] output = new float[k.getField("OUTPUT_SIZE").getInt(null)];
                    Random random = new Random(5);
                    for (int i = 0; i < input.length; i++) {
                        input[i] = random.nextFloat();
                    }
                    java.lang.invoke.MethodHandle predict = java.lang.invoke.MethodHandles.publicLookup()
                            .findVirtual(k, "predict", java.lang.invoke.MethodType.methodType(void.class,
                                    float[].class, float[].class)).bindTo(model);
                    int warm = Integer.parseInt(args[1]);
                    int window = Integer.parseInt(args[2]);
                    int windows = Integer.parseInt(args[3]);
                    for (int c = 0; c < warm; c++) {
                        predict.invokeExact(input, output);
                    }
                    ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
                    long least = Long.MAX_VALUE;
                    for (int w = 0; w < windows && least > 0; w++) {
                        long before = bean.getCurrentThreadAllocatedBytes();
                        for (int c = 0; c < window; c++) {
                            predict.invokeExact(input, output);
                        }
                        least = Math.min(least, bean.getCurrentThreadAllocatedBytes() - before);
                    }
                    System.out.println("least-bytes " + least);
                }
            }
            """;

    /**
     * The Fashion CNN's shapes (28x28, 7x7 layer of 64, 3x3 layers of 128 and 256 filters, the last ones on a 7x7
     * map, which the 4 x 6 direct kernel takes), with fewer layers.
     */
    private static final String FASHION_DEEP = """
            model FashionDeep {
                input image: [1, 28, 28]
                conv2d(64, kernel=7, padding=same, activation=relu)
                maxpool(2)
                conv2d(128, kernel=3, padding=same, activation=relu)
                maxpool(2)
                conv2d(256, kernel=3, padding=same, activation=relu)
                flatten
                dense(10, activation=softmax)
            }
            """;

    @TempDir
    Path dir;

    /**
     * The Fashion-shaped net with Winograd on (the case shown to allocate with the old epilogue: 200 KB a call on JDK
     * 17, set {@code SimdMicroKernels.SCRATCH_EPILOGUE} to 1000 to see it fail) and the MNIST CNN; the other models of
     * {@link SteadyStateAllocationTest} passed under {@code -Xbatch} too, left out for the test's time (about 40 s a
     * model on two busy cores).
     */
    static Stream<Arguments> cases() throws IOException {
        return Stream.concat(Stream.of(Arguments.of("FashionDeep", FASHION_DEEP, true)),
                SteadyStateAllocationTest.cases().filter(a -> a.get()[0].equals("MnistCnn") && (Boolean) a.get()[2]));
    }

    @ParameterizedTest(name = "{0}, Winograd {2}, -Xbatch")
    @MethodSource("cases")
    void aSteadyStatePredictAllocatesNothingWhenCompiledInCallOrder(String name, String source, boolean winograd)
            throws Exception {
        Graph optimized = PassPipeline.optimize(SteadyStateAllocationTest.seeded(dir, name, source), Pass.Mode.INFERENCE,
                null);
        List<GeneratedFile> files = JavaBackend.generate(optimized, new GenerateOptions("p", name, false,
                GenerateOptions.Variant.VECTOR));
        CompiledModel compiled = CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        Path classes = dir.resolve("classes");
        for (Map.Entry<String, byte[]> e : compiled.classFiles().entrySet()) {
            Path to = classes.resolve(e.getKey().replace('.', '/') + ".class");
            Files.createDirectories(to.getParent());
            Files.write(to, e.getValue());
        }
        for (GeneratedFile f : files) {
            if (f.kind() != GeneratedFile.Kind.SOURCE) {
                Path to = classes.resolve(f.relativePath());
                Files.createDirectories(to.getParent());
                Files.write(to, f.content());
            }
        }
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, PROBE, StandardCharsets.UTF_8);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xbatch", "--add-modules", "jdk.incubator.vector",
                "-Dstriate.winograd=" + winograd, "-cp", classes.toString(), probe.toString(), "p." + name,
                Integer.toString(WARM_CALLS), Integer.toString(WINDOW), Integer.toString(WINDOWS));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the child JVM took over 300 s");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("least-bytes ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the child JVM:\n" + out));
        assertEquals(0, Long.parseLong(line.substring("least-bytes ".length())), name
                + ": bytes allocated by " + WINDOW + " steady-state calls under -Xbatch, Winograd " + winograd
                + ", JDK " + Runtime.version().feature());
    }
}
