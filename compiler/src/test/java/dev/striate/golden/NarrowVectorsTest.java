package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GeneratedFile;
import dev.striate.testing.CompiledModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector class with fewer lanes than this machine's: an AVX2 CPU has 8 floats per vector and 16 registers
 * (the conv drivers then take narrower register blocks, {@code SimdKernels.NARROW_VECTORS}), an SSE-only one 4,
 * while the machines the tests usually run on have AVX-512 (16 lanes). Every PyTorch fixture's vector class, and
 * the models of {@link TierThreeCompilesTest#MODELS} with random weights (whole blocks of the 3x3 depthwise kernel,
 * a wide 1x1 conv, Winograd and blocked 3x3 convs: kernels the fixtures are too small for), run in child JVMs: once
 * as the machine gives (the reference), once with {@code -XX:UseAVX=2 -XX:MaxVectorSize=32} (8 lanes, the AVX2
 * instruction set and register file, as on an AVX2 CPU) and once with {@code -XX:MaxVectorSize=16} (4 lanes). The
 * narrower runs' outputs must be bit for bit the reference's (docs/vector.md: the vector length decides which
 * lanes hold which channel, never the order of a sum), and every run's outputs within each fixture's tolerance of
 * PyTorch's. The children run on this test's JDK and on every JDK home in {@code STRIATE_TEST_JDKS} (as
 * {@link TierThreeCompilesTest}); each prints the lane count it got, which must be at least 4 (the vector path)
 * and at most the one asked for.
 */
class NarrowVectorsTest {
    private static final String PROBE = """
            package narrow;

            import java.io.*;

            public final class Probe {
                public static void main(String[] args) throws Exception {
                    java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
                    String tag = args[1];
                    System.out.println("lanes " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
                    for (int a = 2; a < args.length; a++) {
                        String[] p = args[a].split("=", 2);
                        Class<?> k = Class.forName(p[1]);
                        java.lang.reflect.Field api = k.getDeclaredField("VECTOR_API");
                        api.setAccessible(true);
                        System.out.println("path " + p[0] + " " + (api.getBoolean(null) ? "vector" : "scalar"));
                        if (tag.startsWith("paths")) {
                            continue;
                        }
                        Object m = k.getMethod("load").invoke(null);
                        java.lang.reflect.Method predict = k.getMethod("predict", float[].class, float[].class);
                        int outSize = k.getField("OUTPUT_SIZE").getInt(null);
                        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                                new FileInputStream(dir.resolve(p[0] + ".in").toFile())));
                             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                                new FileOutputStream(dir.resolve(p[0] + "." + tag + ".out").toFile())))) {
                            int count = in.readInt();
                            int size = in.readInt();
                            out.writeInt(count);
                            out.writeInt(outSize);
                            for (int s = 0; s < count; s++) {
                                float[] x = new float[size];
                                for (int i = 0; i < size; i++) {
                                    x[i] = in.readFloat();
                                }
                                float[] y = new float[outSize];
                                // twice: the second call runs on the state the first left (scratch, packed weights)
                                predict.invoke(m, x, y);
                                predict.invoke(m, x, y);
                                for (float v : y) {
                                    out.writeFloat(v);
                                }
                            }
                        }
                        System.out.println("ran " + p[0]);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;

    /** Case name to generated type. */
    private static final Map<String, String> CLASSES = new LinkedHashMap<>();
    /** Case name to its PyTorch fixture (absent for the random-weight models). */
    private static final Map<String, PyTorchFixture> FIXTURES = new LinkedHashMap<>();

    @BeforeAll
    static void compileAll() throws IOException {
        Path classes = dir.resolve("classes");
        TierThreeCompilesTest.writeProbe(classes, "narrow/Probe.java", PROBE);
        for (String name : PyTorchFixture.caseNames()) {
            PyTorchFixture fx = PyTorchFixture.load(name);
            FIXTURES.put(name, fx);
            add(classes, name, "narrow.fixture." + name + ".Model",
                    VectorGoldenTest.generate(fx, "narrow.fixture." + name, false), fx.inputs());
        }
        for (Map.Entry<String, String> e : TierThreeCompilesTest.MODELS.entrySet()) {
            add(classes, e.getKey(), "narrow.model." + e.getKey(),
                    TierThreeCompilesTest.generate(dir, "narrow.model", e.getKey(), e.getValue()), null);
        }
    }

    /**
     * Compiles a case and writes its inputs for the children (two random ones in [-1, 1) when {@code given} is
     * null).
     */
    private static void add(Path classes, String name, String type, List<GeneratedFile> files, float[][] given)
            throws IOException {
        CompiledModel compiled = CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        TierThreeCompilesTest.writeClasses(classes, compiled.classFiles(), files);
        float[][] inputs = given;
        if (inputs == null) {
            Random r = new Random(name.hashCode());
            inputs = new float[2][compiled.constant("INPUT_SIZE")];
            for (float[] x : inputs) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextFloat() * 2 - 1;
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(name + ".in"))))) {
            out.writeInt(inputs.length);
            out.writeInt(inputs[0].length);
            for (float[] x : inputs) {
                for (float v : x) {
                    out.writeFloat(v);
                }
            }
        }
        CLASSES.put(name, type);
    }

    @Test
    void fewerLanesGiveTheSameBits() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (String home : TierThreeCompilesTest.testJdks()) {
            int jdk = Math.abs(home.hashCode());
            int lanes = run(home, "ref" + jdk, 64, List.of());
            Map<String, float[][]> reference = outputs("ref" + jdk);
            failures.addAll(compare(home + " (" + lanes + " lanes)", reference, reference));
            for (int most : new int[] {8, 4}) {
                // 4 lanes: on x86 the class takes its scalar code by itself (no AVX2, so maybe no FMA), hence "vector"
                List<String> flags = most == 8 ? List.of("-XX:UseAVX=2", "-XX:MaxVectorSize=32")
                        : List.of("-XX:MaxVectorSize=16", "-Dstriate.kernel=vector");
                String tag = "v" + most + "-" + jdk;
                int got = run(home, tag, most, flags);
                failures.addAll(compare(home + " " + flags + " (" + got + " lanes, reference " + lanes + ")",
                        outputs(tag), reference));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * On x86 a JVM whose vectors are 128 bits (no AVX2: {@code -XX:UseAVX=1} here, as on a CPU with AVX but no FMA3)
     * runs the class's scalar code, unless {@code striate.kernel} or {@code STRIATE_KERNEL} says {@code vector};
     * {@code scalar} turns the vector code off anywhere. The scalar runs give the same bits as each other, within
     * PyTorch's tolerance (docs/vector.md, "What is generated").
     */
    @Test
    void withoutAvx2OrWhenAskedTheClassRunsItsScalarCode() throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch");
        org.junit.jupiter.api.Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"),
                "-XX:UseAVX is an x86 flag; on " + arch + " every vector of 4 floats or more takes the vector code");
        List<String> failures = new ArrayList<>();
        for (String home : TierThreeCompilesTest.testJdks()) {
            int jdk = Math.abs(home.hashCode());
            run(home, "s-asked-" + jdk, 64, List.of("-Dstriate.kernel=Scalar"), "scalar", Map.of());
            Map<String, float[][]> scalar = outputs("s-asked-" + jdk);
            failures.addAll(compare(home + " -Dstriate.kernel=Scalar", scalar, scalar));
            run(home, "s-avx1-" + jdk, 4, List.of("-XX:UseAVX=1"), "scalar", Map.of());
            failures.addAll(compare(home + " -XX:UseAVX=1", outputs("s-avx1-" + jdk), scalar));
            run(home, "paths-env-" + jdk, 64, List.of(), "scalar", Map.of("STRIATE_KERNEL", "scalar"));
            run(home, "paths-avx1-" + jdk, 4, List.of("-XX:UseAVX=1", "-Dstriate.kernel=vector"), "vector",
                    Map.of("STRIATE_KERNEL", "scalar"));
            run(home, "paths-auto-" + jdk, 64, List.of("-Dstriate.kernel=auto"), "vector",
                    Map.of("STRIATE_KERNEL", "scalar"));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Runs every case in a child JVM with {@code flags}, its outputs tagged {@code tag}; returns its lane count. */
    private static int run(String home, String tag, int most, List<String> flags)
            throws IOException, InterruptedException {
        return run(home, tag, most, flags, "vector", Map.of());
    }

    /**
     * Runs every case in a child JVM with {@code flags} and {@code env} added to its environment, its outputs tagged
     * {@code tag} (a tag starting with {@code paths} only reports each class's path), each class expected to take
     * the {@code path} given ({@code vector} or {@code scalar}); returns its lane count.
     */
    private static int run(String home, String tag, int most, List<String> flags, String path, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(home, "bin", "java").toString(), "-Xshare:auto",
                "-XX:+IgnoreUnrecognizedVMOptions"));
        command.addAll(flags);
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", dir.resolve("classes").toString(),
                "narrow.Probe", dir.toString(), tag));
        for (Map.Entry<String, String> e : CLASSES.entrySet()) {
            command.add(e.getKey() + "=" + e.getValue());
        }
        Path log = dir.resolve(tag + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("STRIATE_KERNEL");
        builder.environment().putAll(env);
        Process p = builder.start();
        int exit = p.waitFor();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String where = home + " " + flags + ": ";
        assertEquals(0, exit, where + "the probe failed:\n" + String.join("\n", lines));
        for (String name : CLASSES.keySet()) {
            assertTrue(lines.contains("path " + name + " " + path), where + name + " did not take the " + path
                    + " code (" + env + "):\n" + String.join("\n", lines));
            assertTrue(tag.startsWith("paths") || lines.contains("ran " + name),
                    where + name + " did not run:\n" + String.join("\n", lines));
        }
        String reported = lines.stream().filter(l -> l.startsWith("lanes ")).findFirst().orElse("lanes 0");
        int got = Integer.parseInt(reported.substring(6).trim());
        assertTrue(got >= 4 && got <= most, where + "asked for at most " + most + " lanes (4 or more), got " + got);
        return got;
    }

    /** Each case's outputs of the run tagged {@code tag}. */
    private static Map<String, float[][]> outputs(String tag) throws IOException {
        Map<String, float[][]> all = new LinkedHashMap<>();
        for (String name : CLASSES.keySet()) {
            all.put(name, read(dir.resolve(name + "." + tag + ".out")));
        }
        return all;
    }

    /**
     * The first element per case and input that differs from the reference's bits or is outside PyTorch's
     * tolerance.
     */
    private static List<String> compare(String where, Map<String, float[][]> actual, Map<String, float[][]> reference) {
        List<String> failures = new ArrayList<>();
        for (String name : CLASSES.keySet()) {
            float[][] got = actual.get(name);
            float[][] ref = reference.get(name);
            PyTorchFixture fx = FIXTURES.get(name);
            for (int s = 0; s < ref.length; s++) {
                for (int i = 0; i < ref[s].length; i++) {
                    if (Float.floatToIntBits(got[s][i]) != Float.floatToIntBits(ref[s][i])) {
                        failures.add(where + ": " + name + " input " + s + " element " + i + ": " + got[s][i]
                                + " instead of the reference's " + ref[s][i]);
                        break;
                    }
                    if (fx != null) {
                        float want = fx.outputs()[s][i];
                        if (!(Math.abs(got[s][i] - want) <= fx.atol() + fx.rtol() * Math.abs(want))) {
                            failures.add(where + ": " + name + " input " + s + " element " + i + ": " + got[s][i]
                                    + ", PyTorch " + want);
                            break;
                        }
                    }
                }
            }
        }
        return failures;
    }

    private static float[][] read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            int count = in.readInt();
            int size = in.readInt();
            float[][] rows = new float[count][size];
            for (float[] row : rows) {
                for (int i = 0; i < size; i++) {
                    row[i] = in.readFloat();
                }
            }
            return rows;
        }
    }
}
