package dev.striate.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.NastyStrings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Class and package names: every name that could clash with what the generated class uses is
 * either refused by {@link NameRules} or works. The candidates are every type of {@code java.lang}
 * in the running JDK, every capitalized word of the generated sources (imports, nested classes,
 * constants), the generated members, keywords and restricted identifiers.
 */
class NameRulesTest {
    /** Every op of the language, so that every piece of generated code is in the candidates. */
    static final String MODEL = """
            model M {
                input x: [4, 8, 8]
                r = rescale(x, 0.5, offset=0.1) -> normalize(mean=0.1, std=2)
                a = conv2d(r, 4, kernel=3, padding=same, activation=relu) -> batchnorm -> leaky_relu(0.1)
                b = depthwise_conv2d(r, kernel=3, padding=1) -> elu -> sigmoid
                c = add(a, b) -> maxpool(2) -> pad(1) -> avgpool(3, stride=1, padding=1, count_include_pad=false)
                d = conv_transpose2d(c, 8, kernel=2, stride=2) -> pixel_shuffle(2) -> maxout(2)
                e = concat(d, d) -> globalmaxpool
                f = conv2d(c, 4, kernel=1) -> tanh -> globalavgpool
                g = concat(e, f) -> dropout(0.5) -> dense(6) -> softmax
                labels ["a", "b", "c", "d", "e", "f"]
            }
            """;

    @Example
    void everyClashingNameIsRefusedOrCompilesAndRuns() throws IOException {
        Graph graph = model();
        Graph optimized = PassPipeline.standard().run(graph, Pass.Mode.INFERENCE, new PassLog());
        Set<String> candidates = new TreeSet<>();
        for (boolean singleFile : new boolean[] {false, true}) {
            for (GeneratedFile f : JavaBackend.generate(singleFile ? graph : optimized, new GenerateOptions("p", "M",
                    singleFile))) {
                if (f.kind() == GeneratedFile.Kind.SOURCE) {
                    // Type-like words and qualifiers: a local variable or a field of that name wins over a class.
                    Matcher m = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)\\b(\\s*\\.)?").matcher(
                            new String(f.content(), StandardCharsets.UTF_8));
                    while (m.find()) {
                        if (Character.isUpperCase(m.group(1).charAt(0)) || m.group(2) != null) {
                            candidates.add(m.group(1));
                        }
                    }
                }
            }
        }
        candidates.addAll(List.of("var", "yield", "record", "sealed", "permits", "_", "when", "module", "Weights0",
                "Weights12", "CON", "nul", "Com1", "true", "null", "goto", "const", "strictfp", "non", "Model"));
        assertTrue(candidates.size() > 50, "candidates: " + candidates);
        List<JavaFileObject> sources = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (String name : candidates) {
            String problem = NameRules.classNameProblem(name);
            if (problem != null) {
                refused++;
                continue;
            }
            String pkg = "c" + accepted.size();
            accepted.add(name);
            // Half the names in each mode: the layer code is the same, only the weights loader differs.
            for (boolean singleFile : new boolean[] {accepted.size() % 2 == 0}) {
                for (GeneratedFile f : JavaBackend.generate(singleFile ? graph : optimized,
                        new GenerateOptions(pkg + (singleFile ? "s" : ""),
                        name, singleFile))) {
                    if (f.kind() == GeneratedFile.Kind.SOURCE) {
                        sources.add(JavaFileObjects.forSourceString(f.relativePath().replace(".java", "")
                                .replace('/', '.'), new String(f.content(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        Compilation c = Compiler.javac().withOptions("--release", "11").compile(sources);
        List<String> broken = new ArrayList<>();
        c.errors().forEach(d -> broken.add(d.getSource() == null ? d.getMessage(null)
                : d.getSource().getName() + ": " + d.getMessage(null)));
        assertTrue(broken.isEmpty(), "names NameRules accepts but the generated class cannot take: " + broken);
        System.out.println("class names: " + candidates.size() + " candidates, " + refused + " refused, "
                + accepted.size() + " compiled");
    }

    @Test
    void modelNamesAreCheckedWhereTheyAreWritten() {
        for (String name : List.of("System", "class", "record", "Weights3", "Math", "Con")) {
            Diagnostics d = new Diagnostics();
            CompileException e = org.junit.jupiter.api.Assertions.assertThrows(CompileException.class,
                    () -> Frontend.parse("model " + name + " {\n    input x: [2]\n    dense(1)\n}\n", "m.cnn")
                            .model(null, d));
            assertEquals(ErrorCode.BAD_CLASS_NAME, e.diagnostics().get(0).code(), name);
            assertEquals(1, e.diagnostics().get(0).pos().line(), name);
            assertEquals(7, e.diagnostics().get(0).pos().column(), name);
        }
    }

    /**
     * Every {@code java.lang} type that a code generator writes as text ({@code "Float.NaN"},
     * {@code "System.arraycopy(...)"}) is in {@link NameRules#NAMES_USED_BY_GENERATED_CODE}, even where
     * the model above does not reach that code.
     */
    @Test
    void everyJavaLangTypeTheGeneratorsWriteIsReserved() throws IOException {
        Set<String> lang = javaLangTypes();
        Set<String> written = new TreeSet<>();
        Path backend = Path.of("src/main/java/dev/striate/backend/layers");
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(backend, backend.getParent())) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
        Pattern word = Pattern.compile("\\b([A-Z][A-Za-z0-9]*)\\s*[.\\[(]");
        for (Path f : files) {
            Matcher m = literal.matcher(Files.readString(f));
            while (m.find()) {
                Matcher w = word.matcher(m.group(1));
                while (w.find()) {
                    if (lang.contains(w.group(1))) {
                        written.add(w.group(1));
                    }
                }
            }
        }
        assertTrue(written.contains("System") && written.contains("Math"), "the scan finds nothing: " + written);
        for (String name : written) {
            assertTrue(NameRules.NAMES_USED_BY_GENERATED_CODE.contains(name), name + " is written by a code generator");
        }
    }

    @Test
    void packageNames() {
        for (String ok : List.of("", "com.acme", "a.b_2.c", "var.record")) {
            assertNull(NameRules.packageNameProblem(ok), ok);
        }
        for (String bad : List.of("com..acme", ".a", "a.", "com.new", "java.x", "java", "a-b", "caf\u00e9", "a b",
                "a/b", "a.\u0661", "_", "a._")) {
            assertNotNull(NameRules.packageNameProblem(bad), bad);
        }
    }

    @Property(tries = 3000, seed = "20261205")
    void hostileClassAndPackageNamesAreRefused(@ForAll("nasty") String s) {
        if (NameRules.classNameProblem(s) == null) {
            assertTrue(s.matches("[A-Za-z_][A-Za-z0-9_]*") && SourceVersion.isName(s), s);
        }
        if (NameRules.packageNameProblem(s) == null) {
            assertTrue(s.isEmpty() || s.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*"), s);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> nasty() {
        return NastyStrings.any();
    }

    @Test
    void textRules() {
        assertNull(NameRules.textProblem("conv1/Conv:0 (\u00e9t\u00e9) \uD83D\uDE00", "the label"));
        for (String bad : List.of("", "a\nb", "a\u2028b", "a\u2029", "\u0085", "\u001b[2J", "x\u202Ey", "\uD800",
                "a\uDC00", "\u0000", "n".repeat(NameRules.MAX_TEXT + 1))) {
            assertNotNull(NameRules.textProblem(bad, "the label"), JavaText.comment(bad));
        }
    }

    private static Graph model() {
        Diagnostics d = new Diagnostics();
        Graph g = Frontend.parse(MODEL, "m.cnn").model(null, d);
        return BindWeights.run(g, InitWeights.run(g, 1), new SourcePos("m.weights.json", 1, 1), d);
    }

    private static Set<String> javaLangTypes() throws IOException {
        Path lang = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("modules", "java.base", "java", "lang");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(lang)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .forEach(n -> names.add(n.substring(0, n.length() - 6)));
        }
        return names;
    }
}
