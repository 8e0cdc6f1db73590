package dev.striate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that the generated classes stand alone: their sources are compiled by {@code javac}
 * alone ({@code --release 11}, only {@code java.base}, an empty class path) together with a small
 * driver, and the driver runs in a fresh JVM with nothing but that output folder on its class path.
 */
class ZeroDependencyTest {
    private static final String DRIVER = String.join("\n",
            "import dev.striate.examples.Lenet5;",
            "import dev.striate.examples.MnistCnn;",
            "import dev.striate.examples.Sobel;",
            "import dev.striate.examples.TinyResnet;",
            "import java.util.Arrays;",
            "",
            "public class Driver {",
            "    public static void main(String[] args) {",
            "        float[] edges = Sobel.load().predict(" + floats(SobelTest.stepImage()) + ");",
            "        int[] rounded = new int[edges.length];",
            "        for (int i = 0; i < edges.length; i++) {",
            "            rounded[i] = Math.round(edges[i]);",
            "        }",
            "        System.out.println(\"sobel \" + Arrays.toString(rounded));",
            "        System.out.println(\"lenet5 \" + Arrays.toString(Lenet5.load().predict(pattern(Lenet5.INPUT_SIZE))));",
            "        System.out.println(\"mnist \" + Arrays.toString(MnistCnn.load().predict(pattern(MnistCnn.INPUT_SIZE))));",
            "        System.out.println(\"resnet \" + Arrays.toString(TinyResnet.load().predict(pattern(TinyResnet.INPUT_SIZE))));",
            "    }",
            "",
            "    static float[] pattern(int size) {",
            "        float[] x = new float[size];",
            "        for (int i = 0; i < size; i++) {",
            "            x[i] = (i % 7) * 0.125f;",
            "        }",
            "        return x;",
            "    }",
            "}",
            "");

    /** The driver's input: the same numbers, computed here for the in-process expectation. */
    private static float[] pattern(int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (i % 7) * 0.125f;
        }
        return x;
    }

    @TempDir
    Path work;

    @Test
    void generatedSourcesCompileWithJavacAloneAndRunInAFreshJvm() throws Exception {
        Path sources = Path.of(System.getProperty("striate.generatedSources"));
        Path resources = Path.of(System.getProperty("striate.generatedResources"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path emptyClassPath = Files.createDirectories(work.resolve("empty"));
        Path driver = Files.writeString(work.resolve("Driver.java"), DRIVER);
        List<String> files = javaFiles(sources);
        assertFalse(files.isEmpty(), "no generated sources in " + sources);

        List<String> args = new ArrayList<>(List.of("--release", "11", "--limit-modules", "java.base",
                "-proc:none", "-classpath", emptyClassPath.toString(), "-sourcepath", "",
                "-d", classes.toString(), driver.toString()));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        assertEquals(0, status, "javac failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        copyTree(resources, classes);

        String out = runJava(classes, "Driver");

        int[] expectedEdges = new int[SobelTest.STEP_RESPONSE.length];
        for (int i = 0; i < expectedEdges.length; i++) {
            expectedEdges[i] = Math.round(SobelTest.STEP_RESPONSE[i]);
        }
        // Same code, same JVM: the fresh process must print bit-identical numbers.
        String expected = "sobel " + Arrays.toString(expectedEdges) + "\n"
                + "lenet5 " + Arrays.toString(Lenet5.load().predict(pattern(Lenet5.INPUT_SIZE))) + "\n"
                + "mnist " + Arrays.toString(MnistCnn.load().predict(pattern(MnistCnn.INPUT_SIZE))) + "\n"
                + "resnet " + Arrays.toString(TinyResnet.load().predict(pattern(TinyResnet.INPUT_SIZE))) + "\n";
        assertEquals(expected, out);
    }

    private static List<String> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    private static String runJava(Path classPath, String mainClass) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--limit-modules", "java.base",
                "-cp", classPath.toString(), mainClass)
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String text = out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertEquals(0, process.exitValue(), text);
        return text;
    }

    private static String floats(float[] values) {
        StringBuilder s = new StringBuilder("new float[] {");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(values[i]).append('f');
        }
        return s.append('}').toString();
    }
}
