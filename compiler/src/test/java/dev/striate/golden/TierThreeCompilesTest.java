package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.backend.GeneratedFile;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.property.RandomValidModelsTest;
import dev.striate.testing.CompiledModel;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method of the generated classes (the vector variant's kernels and its scalar twin) must be compilable by
 * C1 at tier 3. When C1 gives up on a method ({@code COMPILE SKIPPED: out of virtual registers ...}), HotSpot may
 * leave it in tier-2 code for good (seen on JDK 17 and 25 with the 3x3 depthwise kernel, 2026-12-03): in the vector
 * class no Vector API call is then intrinsified, every vector becomes a heap object and the layer runs 40x slower, in
 * some runs and not others. This runs every PyTorch fixture's vector class, and models that reach the kernels the
 * fixtures are too small for (a 3x3 depthwise plane with whole blocks of rows, a wide 1x1 conv, Winograd and blocked
 * convs), in a child JVM that compiles each method at tier 3 after two calls ({@code -Xbatch
 * -XX:TieredStopAtLevel=3}, low tier-3 thresholds, the interpreter telling the policy of every call and loop
 * iteration; the log must show the synthetic models' kernels compiled), once with the Vector API module (the vector path) and once without
 * (the scalar twin), and fails on any {@code COMPILE SKIPPED} line for a generated class. The child JVM is this
 * test's JDK and every JDK home listed in the environment variable {@code STRIATE_TEST_JDKS} (separated by
 * {@code :}; {@code .ci/run} lists JDK 25 when it is installed).
 */
class TierThreeCompilesTest {
    private static final String PROBE = """
            package tier;

            public final class Probe {
                public static void main(String[] args) throws Exception {
                    for (String name : args) {
                        Class<?> k = Class.forName(name);
                        Object m = k.getMethod("load").invoke(null);
                        int n = k.getField("INPUT_SIZE").getInt(null);
                        java.util.Random r = new java.util.Random(7);
                        float[][] in = new float[3][n];
                        for (float[] x : in) {
                            for (int i = 0; i < n; i++) {
                                x[i] = r.nextFloat() * 2 - 1;
                            }
                        }
                        float[] out = new float[k.getField("OUTPUT_SIZE").getInt(null)];
                        java.lang.reflect.Method predict = k.getMethod("predict", float[].class, float[].class);
                        for (int call = 0; call < 4; call++) {
                            predict.invoke(m, in[call % 3], out);
                        }
                        float[][] outs = new float[3][out.length];
                        k.getMethod("predictBatch", float[][].class, float[][].class, int.class).invoke(m, in, outs, 2);
                        System.err.println("ran " + name);
                    }
                }
            }
            """;

    /**
     * Models (name to the body of a {@code .cnn} model) that reach the kernels the fixtures are too small for; also
     * run by {@link NarrowVectorsTest}.
     */
    static final Map<String, String> MODELS = inOrder(
            // 3x3 depthwise, 19 rows (two whole blocks of 8, then 3 rows one at a time), wider than any vector
            "Dw3", "input x: [4, 19, 72]\n    depthwise_conv2d(kernel=3, padding=same, activation=relu)",
            // a 1x1 conv with more filters than a group, not a multiple of 4 or 6
            "Pointwise", "input x: [24, 9, 37]\n    conv2d(43, kernel=1, activation=relu)",
            // 3x3 convs with many channels (Winograd / blocked forms), pooling, dense
            "Wide", "input x: [16, 19, 19]\n    conv2d(48, kernel=3, padding=same, activation=relu)\n"
                    + "    conv2d(48, kernel=3, padding=same, activation=relu)\n    conv2d(32, kernel=5, padding=same)\n"
                    + "    maxpool(2)\n    flatten\n    dense(64, activation=relu)\n    dense(10)");

    @TempDir
    static Path dir;

    private static Map<String, String> inOrder(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static final Map<String, String> CLASSES = new LinkedHashMap<>();

    @BeforeAll
    static void compileAll() throws IOException {
        Path classes = dir.resolve("classes");
        writeProbe(classes, "tier/Probe.java", PROBE);
        for (String name : PyTorchFixture.caseNames()) {
            String pkg = "tier.fixture." + name;
            List<GeneratedFile> files = VectorGoldenTest.generate(PyTorchFixture.load(name), pkg, false);
            add(classes, name, pkg + ".Model", files);
        }
        for (Map.Entry<String, String> e : MODELS.entrySet()) {
            add(classes, e.getKey(), "tier.model." + e.getKey(), generate(dir, "tier.model", e.getKey(), e.getValue()));
        }
    }

    /**
     * Writes model {@code name} ({@code body} inside {@code model name { ... }}) with random weights (seeded by the
     * name) into {@code dir} and compiles its vector variant into package {@code pkg}.
     */
    static List<GeneratedFile> generate(Path dir, String pkg, String name, String body) throws IOException {
        Path source = dir.resolve(name + ".cnn");
        Files.writeString(source, "model " + name + " {\n    " + body + "\n}\n", StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        assertTrue(graph != null, name + ": " + diagnostics);
        WeightsFile.write(dir.resolve(name + ".weights.json"),
                RandomValidModelsTest.randomWeights(graph, new Random(name.hashCode())));
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName(pkg)
                .sourceOutput(dir.resolve("out-" + name)).vector(true).build());
        return result.files();
    }

    private static void add(Path classes, String name, String type, List<GeneratedFile> files) throws IOException {
        CompiledModel compiled = CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        writeClasses(classes, compiled.classFiles(), files);
        CLASSES.put(name, type);
    }

    /** Compiles a child JVM's probe ({@code source}, at {@code path}) with the Vector API module into {@code classes}. */
    static void writeProbe(Path classes, String path, String source) throws IOException {
        List<GeneratedFile> probe = List.of(new GeneratedFile(GeneratedFile.Kind.SOURCE, path,
                source.getBytes(StandardCharsets.UTF_8)));
        writeClasses(classes, CompiledModel.compile(probe, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]))
                .classFiles(), List.of());
    }

    static void writeClasses(Path classes, Map<String, byte[]> classFiles, List<GeneratedFile> files)
            throws IOException {
        for (Map.Entry<String, byte[]> e : classFiles.entrySet()) {
            write(classes.resolve(e.getKey().replace('.', '/') + ".class"), e.getValue());
        }
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.RESOURCE) {
                write(classes.resolve(f.relativePath()), f.content());
            }
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** This test JVM's home, then every JDK home in {@code STRIATE_TEST_JDKS} ({@code :}-separated) that exists. */
    static List<String> testJdks() {
        List<String> jdks = new ArrayList<>(List.of(System.getProperty("java.home")));
        String extra = System.getenv("STRIATE_TEST_JDKS");
        if (extra != null) {
            for (String home : extra.split(":")) {
                if (!home.isBlank() && Files.isExecutable(Path.of(home, "bin", "java"))) {
                    jdks.add(home);
                }
            }
        }
        return jdks;
    }

    @Test
    void everyGeneratedMethodCompilesAtTierThree() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (String home : testJdks()) {
            for (boolean module : new boolean[] {true, false}) {
                failures.addAll(run(home, module));
            }
        }
        assertTrue(failures.isEmpty(), "C1 gave up on generated methods (HotSpot may then keep them in tier-2 code):\n"
                + String.join("\n", failures));
    }

    /** The {@code COMPILE SKIPPED} lines for generated classes, each prefixed with the JDK and the path. */
    private static List<String> run(String home, boolean module) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(home, "bin", "java").toString(), "-Xshare:auto",
                "-Xbatch", "-XX:TieredStopAtLevel=3", "-XX:Tier0InvokeNotifyFreqLog=0", "-XX:Tier0BackedgeNotifyFreqLog=0",
                "-XX:Tier3InvocationThreshold=2",
                "-XX:Tier3MinInvocationThreshold=1", "-XX:Tier3CompileThreshold=2", "-XX:Tier3BackEdgeThreshold=100",
                "-XX:+PrintCompilation"));
        if (module) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-cp", dir.resolve("classes").toString(), "tier.Probe"));
        command.addAll(CLASSES.values());
        // the JIT's log on standard output, the probe's own lines on standard error (never interleaved)
        String stem = "tier-" + module + "-" + Math.abs(home.hashCode());
        Path log = dir.resolve(stem + ".log");
        Path ran = dir.resolve(stem + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(ran.toFile()).start();
        int exit = p.waitFor();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> probe = Files.readAllLines(ran, StandardCharsets.UTF_8);
        assertEquals(0, exit, home + ": the probe failed:\n" + String.join("\n", probe));
        for (String type : CLASSES.values()) {
            assertTrue(probe.contains("ran " + type), home + ": " + type + " did not run:\n" + String.join("\n", probe));
        }
        // the log must show the kernels compiled (else the thresholds did not trigger and the test proves nothing)
        for (String kernel : module ? List.of("Dw3$Simd::depthwiseChw3Block ", "Pointwise$Simd::pointwise1 ",
                "Wide$Simd::winoGemm ") : List.of("Dw3::depthwise_conv2d_1 ", "Wide::conv2d_1 ")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(" 3 ") && l.contains("tier.model." + kernel)),
                    home + ": " + kernel + "was not compiled at tier 3:\n" + lines.stream().filter(l -> l.contains("tier.model."))
                            .collect(Collectors.joining("\n")));
        }
        String where = home + (module ? " (vector path)" : " (scalar path)") + ": ";
        return lines.stream()
                .filter(l -> l.contains("COMPILE SKIPPED") && (l.contains(" tier.fixture.") || l.contains(" tier.model.")))
                .map(l -> where + l.trim().replaceAll(" +", " "))
                .collect(Collectors.toList());
    }
}
