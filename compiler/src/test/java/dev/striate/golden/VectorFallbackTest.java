package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.testing.CompiledModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant in a fresh JVM: without {@code --add-modules jdk.incubator.vector} it loads, never
 * touches the Vector API (its nested vector class is not even loaded) and gives the scalar class's
 * answers bit for bit; with the module it takes the vector path and matches PyTorch.
 */
class VectorFallbackTest {
    private static final String PROBE = """
            package %s;

            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;

            public final class Probe {
                public static void main(String[] args) throws Exception {
                    Model m = Model.load();
                    java.lang.reflect.Field f = Model.class.getDeclaredField("simd");
                    f.setAccessible(true);
                    System.out.println("simd=" + (f.get(m) != null));
                    for (String line : Files.readAllLines(Path.of(args[0]))) {
                        String[] parts = line.trim().split(" ");
                        float[] in = new float[parts.length];
                        for (int i = 0; i < in.length; i++) {
                            in[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
                        }
                        StringBuilder sb = new StringBuilder();
                        for (float v : m.predict(in)) {
                            sb.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
                        }
                        System.out.println(sb.toString().trim());
                    }
                }
            }
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mnist_cnn", "tiny_resnet", "depthwise_separable"})
    void withoutTheModuleTheScalarTwinAnswers(String name, @TempDir Path dir) throws Exception {
        PyTorchFixture fx = PyTorchFixture.load(name);
        String pkg = "golden.fallback." + name;
        List<GeneratedFile> files = new ArrayList<>(VectorGoldenTest.generate(fx, pkg, false));
        String dirName = pkg.replace('.', '/') + "/";
        files.add(new GeneratedFile(GeneratedFile.Kind.SOURCE, dirName + "Probe.java",
                PROBE.formatted(pkg).getBytes(StandardCharsets.UTF_8)));
        CompiledModel vector = CompiledModel.compile(files, CompiledModel.VECTOR_OPTIONS.toArray(new String[0]));
        Path classes = dir.resolve("classes");
        for (Map.Entry<String, byte[]> e : vector.classFiles().entrySet()) {
            write(classes.resolve(e.getKey().replace('.', '/') + ".class"), e.getValue());
        }
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.RESOURCE) {
                write(classes.resolve(f.relativePath()), f.content());
            }
        }
        Path inputs = dir.resolve("inputs.txt");
        StringBuilder text = new StringBuilder();
        for (float[] in : fx.inputs()) {
            for (float v : in) {
                text.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
            }
            text.append('\n');
        }
        Files.writeString(inputs, text);

        List<String> without = probe(classes, inputs, pkg, false);
        assertEquals("simd=false", without.get(0), "without the module the vector path must not be taken");
        CompiledModel scalar = CompiledModel.compile(JavaBackend.generate(PyTorchGoldenTest.bind(fx),
                new GenerateOptions(pkg, "Model", false)));
        CompiledModel.Instance reference = scalar.load();
        for (int s = 0; s < fx.inputs().length; s++) {
            float[] expected = reference.predict(fx.inputs()[s]);
            float[] actual = parse(without.get(1 + s));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        name + " sample " + s + " element " + i + ": the fallback must be the scalar class, bit for bit");
            }
        }

        List<String> with = probe(classes, inputs, pkg, true);
        assertEquals("simd=true", with.get(0), "with the module the vector path is taken");
        for (int s = 0; s < fx.inputs().length; s++) {
            float[] actual = parse(with.get(1 + s));
            float[] expected = fx.outputs()[s];
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(actual[i] - expected[i]) <= fx.atol() + fx.rtol() * Math.abs(expected[i]))) {
                    fail(name + " sample " + s + " element " + i + ": got " + actual[i] + ", PyTorch " + expected[i]);
                }
            }
        }
    }

    /** Runs the probe in a child JVM; its output lines (the incubator warning filtered out). */
    private static List<String> probe(Path classes, Path inputs, String pkg, boolean module)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto"));
        if (module) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-cp", classes.toString(), pkg + ".Probe", inputs.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertTrue(lines.size() >= 2, out);
        return lines;
    }

    private static float[] parse(String line) {
        String[] parts = line.trim().split(" ");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        }
        return v;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
