package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.Goldens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus of hostile inputs: every case under {@code src/test/resources/hostile/<class>/<case>/}
 * is a folder of input files (a model, a manifest, a blob...) and a {@code commands} file, one
 * {@code striate} command line a line (default: {@code check model.cnn} and {@code compile model.cnn
 * -o $OUT}); paths are relative to the case folder and {@code $OUT} is an output folder, fresh for
 * each case and shared by its commands (so {@code init} can write the weights {@code compile} reads). The
 * {@code expected} file beside them is the golden: for each command its line, exit code, stdout and
 * stderr, with the case folder written {@code <case>} and the output folder {@code <out>}.
 * Regenerate with {@code -Dstriate.updateGoldens=true} and review the diff.
 *
 * <p>Beyond the goldens, every case must hold the promises of the front door: no internal error
 * (exit 2), no stack trace, no output line over {@value #MAX_LINE} characters, and "check says ok"
 * implies "compile succeeds" when both run with the same files, and whatever Java source the
 * commands write is ASCII-only and compiles with {@code javac --release 11}.
 */
class HostileCorpusTest {
    static final Path DIR = Path.of("src/test/resources/hostile");
    private static final boolean UPDATE = Goldens.update();
    private static final int MAX_LINE = 1000;

    @TempDir
    static Path scratch;

    @TestFactory
    Stream<DynamicNode> everyCaseMatchesItsGoldenAndKeepsThePromises() throws IOException {
        List<Path> classes = folders(DIR);
        assertFalse(classes.isEmpty(), "no classes in " + DIR.toAbsolutePath());
        Map<String, Integer> counts = new TreeMap<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path cls : classes) {
            List<Path> cases = folders(cls);
            counts.put(cls.getFileName().toString(), cases.size());
            nodes.add(DynamicContainer.dynamicContainer(cls.getFileName().toString(), cases.stream()
                    .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)))));
        }
        System.out.println("hostile corpus: " + counts.values().stream().mapToInt(Integer::intValue).sum()
                + " cases " + counts);
        return nodes.stream();
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    static List<String> commands(Path caseDir) throws IOException {
        Path file = caseDir.resolve("commands");
        if (!Files.exists(file)) {
            return List.of("check model.cnn", "compile model.cnn -o $OUT");
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static void check(Path caseDir) throws IOException {
        Path abs = caseDir.toAbsolutePath().normalize();
        StringBuilder actual = new StringBuilder();
        Map<String, Integer> checkExit = new TreeMap<>();
        Map<String, Integer> compileExit = new TreeMap<>();
        Path out = Files.createDirectories(scratch.resolve(caseDir.getParent().getFileName() + "-"
                + caseDir.getFileName()));
        for (String line : commands(caseDir)) {
            List<String> args = new ArrayList<>();
            for (String word : line.split(" +")) {
                args.add(resolve(word, abs, out));
            }
            Cli.Run run = Cli.run(args.toArray(String[]::new));
            String where = caseDir + ": " + line + "\n" + run;
            assertNotEquals(2, run.exitCode(), "internal error on " + where);
            assertFalse(run.err().contains("\tat ") || run.out().contains("\tat "), "stack trace on " + where);
            for (String l : (run.out() + run.err()).split("\n")) {
                assertTrue(l.length() <= MAX_LINE, "a line of " + l.length() + " characters on " + where);
            }
            String rest = line.substring(line.indexOf(' ') + 1).replaceAll("(^| )(-o|--output) \\S+", "");
            if (line.startsWith("check ")) {
                checkExit.put(rest, run.exitCode());
            } else if (line.startsWith("compile ")) {
                compileExit.put(rest, run.exitCode());
            }
            actual.append("$ ").append(line).append('\n')
                    .append("exit ").append(run.exitCode()).append('\n')
                    .append(mask(run.out(), abs, out, "out"))
                    .append(mask(run.err(), abs, out, "err"));
        }
        for (Map.Entry<String, Integer> e : checkExit.entrySet()) {
            Integer compiled = compileExit.get(e.getKey());
            if (e.getValue() == 0 && compiled != null) {
                assertEquals(0, compiled, caseDir + ": check says ok but compile fails for '" + e.getKey() + "'");
            }
        }
        compileGeneratedSources(out, caseDir);
        Path golden = caseDir.resolve("expected");
        if (UPDATE) {
            Files.writeString(golden, actual.toString(), StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(golden), "no golden 'expected' in " + caseDir + "; run with -Dstriate.updateGoldens=true");
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual.toString(), "golden of " + caseDir);
    }

    /** Whatever Java the commands wrote is ASCII-only and compiles with {@code javac --release 11}. */
    private static void compileGeneratedSources(Path out, Path caseDir) throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (byte b : bytes) {
                    assertTrue(b >= 0 && (b >= 0x20 || b == '\n'), caseDir + ": " + f.getFileName() + " is not printable ASCII");
                }
                String rel = out.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                sources.add(JavaFileObjects.forSourceString(rel.substring(0, rel.length() - 5).replace('/', '.'),
                        new String(bytes, StandardCharsets.US_ASCII)));
            }
        }
        if (!sources.isEmpty()) {
            CompiledModel.javac(sources);
        }
    }

    private static String resolve(String word, Path caseDir, Path out) {
        if (word.equals("$OUT")) {
            return out.toString();
        }
        if (word.startsWith("$OUT/")) {
            return out.resolve(word.substring(5)).toString();
        }
        if (word.startsWith("$CASE/")) {
            return caseDir.resolve(word.substring(6)).toString();
        }
        if (!word.startsWith("-") && !word.contains("/") && Files.exists(caseDir.resolve(word))) {
            return caseDir.resolve(word).toString();
        }
        return word;
    }

    private static String mask(String text, Path caseDir, Path out, String stream) {
        if (text.isEmpty()) {
            return "";
        }
        String masked = text.replace(caseDir.toString(), "<case>").replace(out.toString(), "<out>");
        return Stream.of(masked.split("\n", -1)).limit(masked.endsWith("\n") ? masked.split("\n", -1).length - 1 : Long.MAX_VALUE)
                .map(l -> stream + "| " + l).collect(Collectors.joining("\n", "", "\n"));
    }
}
