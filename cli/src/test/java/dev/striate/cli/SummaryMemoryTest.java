package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GeneratedFile;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.InstanceArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code striate summary} (no weights) reports what an instance of the class {@code striate
 * compile} writes with the real weights holds: the numbers printed are compared with the arrays
 * of the compiled, loaded class, measured by reflection.
 */
class SummaryMemoryTest {
    private static final Pattern CLASS_WEIGHTS = Pattern.compile(
            "Generated class: ([\\d,]+) bytes of weights, shared by the instances load\\(\\) returns\n");
    private static final Pattern WINOGRAD = Pattern.compile("Winograd weights: ([\\d,]+) bytes more, ");
    private static final Pattern PER_INSTANCE = Pattern.compile("Memory per instance: ([\\d,]+) bytes \\(([\\d,]+) in"
            + " (\\d+) activation buffers \\+ ([\\d,]+) of scratch rows \\+ ([\\d,]+) for the result\\)\n");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mnist/seed_cnn.cnn", "mnist/lenet5.cnn", "sobel/sobel.cnn", "resnet/tiny_resnet.cnn",
            "fashion/fashion_cnn.cnn"})
    void summaryReportsWhatTheCompiledClassAllocates(String example) throws Exception {
        Path model = tmp.resolve(Path.of(example).getFileName());
        Files.copy(Cli.EXAMPLES.resolve(example), model);
        boolean hasWeights = false;
        for (String ext : List.of(".weights.json", ".weights.bin")) {
            Path w = Cli.EXAMPLES.resolve(example.replace(".cnn", ext));
            if (Files.exists(w)) {
                Files.copy(w, tmp.resolve(w.getFileName()));
                hasWeights = true;
            }
        }
        if (!hasWeights) {
            assertEquals(0, Cli.run("init", model.toString()).exitCode(), "seeded weights for " + example);
        }
        Cli.Run summary = Cli.run("summary", model.toString());
        assertEquals(0, summary.exitCode(), summary.toString());
        Path out = tmp.resolve("gen");
        Cli.Run compile = Cli.run("compile", model.toString(), "--package", "m", "--out", out.toString());
        assertEquals(0, compile.exitCode(), compile.toString());

        CompiledModel compiled = load(out.resolve("m"));
        CompiledModel.Instance instance = compiled.load();
        Map<String, Long> held = InstanceArrays.floatsByField(instance.target());
        long buffers = 0;
        int bufferCount = 0;
        for (; held.containsKey("buf" + bufferCount); bufferCount++) {
            buffers += held.get("buf" + bufferCount);
        }
        long rows = held.getOrDefault("rows", 0L);
        long result = held.getOrDefault("result", 0L);
        assertEquals(buffers + rows + result + held.get("weights"), held.values().stream().mapToLong(Long::longValue)
                .sum(), "no other arrays: " + held);

        Matcher w = find(CLASS_WEIGHTS, summary.out());
        assertEquals(4 * held.get("weights"), bytes(w.group(1)));
        Matcher m = find(PER_INSTANCE, summary.out());
        assertEquals(4 * (buffers + rows + result), bytes(m.group(1)), "per instance");
        assertEquals(4 * buffers, bytes(m.group(2)), "activation buffers");
        assertEquals(bufferCount, Integer.parseInt(m.group(3)), "buffer count");
        assertEquals(4 * rows, bytes(m.group(4)), "scratch rows");
        assertEquals(4 * result, bytes(m.group(5)), "result");

        // the transformed weights of the scalar Winograd layers, made by the first call
        instance.predict(new float[compiled.constant("INPUT_SIZE")], new float[compiled.constant("OUTPUT_SIZE")]);
        long made = winogradFloats(compiled.type());
        Matcher wino = WINOGRAD.matcher(summary.out());
        if (made == 0) {
            assertFalse(wino.find(), "no Winograd layers, no Winograd line:\n" + summary.out());
        } else {
            assertTrue(wino.find(), WINOGRAD + " in\n" + summary.out());
            assertEquals(4 * made, bytes(wino.group(1)), "Winograd weights");
        }
    }

    /** The floats in the class's cache of Winograd weights ({@code WINOGRAD_WEIGHTS}), 0 when it has none. */
    private static long winogradFloats(Class<?> type) throws ReflectiveOperationException {
        java.lang.reflect.Field field;
        try {
            field = type.getDeclaredField("WINOGRAD_WEIGHTS");
        } catch (NoSuchFieldException e) {
            return 0;
        }
        field.setAccessible(true);
        long sum = 0;
        for (Object layers : ((Map<?, ?>) field.get(null)).values()) {
            for (Object u : ((Map<?, ?>) layers).values()) {
                for (float[] row : (float[][]) u) {
                    sum += row.length;
                }
            }
        }
        return sum;
    }

    private static Matcher find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in\n" + text);
        return m;
    }

    private static long bytes(String count) {
        return Long.parseLong(count.replace(",", ""));
    }

    /** Compiles and loads the one class (and its weights resource) written into {@code dir}. */
    private static CompiledModel load(Path dir) throws Exception {
        List<GeneratedFile> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.sorted().toList()) {
                String name = "m/" + p.getFileName();
                GeneratedFile.Kind kind = name.endsWith(".java") ? GeneratedFile.Kind.SOURCE : GeneratedFile.Kind.RESOURCE;
                files.add(new GeneratedFile(kind, name, Files.readAllBytes(p)));
            }
        }
        return CompiledModel.compile(files);
    }
}
