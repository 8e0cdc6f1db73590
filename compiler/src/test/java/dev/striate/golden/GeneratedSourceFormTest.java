package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.striate.Compiler;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated source of every fixture (optimized and not) reads as written by hand: weight
 * offsets and scratch rows are named constants ({@code CONV2D_1_WEIGHT},
 * {@code rows[CONV2D_1_UNFOLDED_ROW + r]}), no loop runs once, no {@code * 1} or {@code - 0}
 * arithmetic, and shapes are printed once ({@code [1, 28, 28]}, never {@code [[1, 28, 28]]}).
 */
class GeneratedSourceFormTest {
    private static final Pattern WEIGHT_READ = Pattern.compile("\\bw\\[([^\\]]*)\\]|arraycopy\\(w, ([^,]*),");
    private static final Pattern ROW_READ = Pattern.compile("\\brows\\[([^\\]]*)\\]");
    private static final Pattern ONE_ITERATION = Pattern.compile("for \\(int (\\w+) = 0; \\1 < 1; \\1\\+\\+\\)");
    private static final Pattern NEUTRAL_ARITHMETIC = Pattern.compile("\\* 1(?![\\d.])|[-+] 0(?![\\d.])");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.striate.golden.PyTorchGoldenTest#cases")
    void readsAsWrittenByHand(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        Diagnostics diagnostics = new Diagnostics();
        Graph bound = Compiler.bindWeights(Compiler.loadModel(fx.model(), null, diagnostics), fx.weights(), diagnostics);
        for (Graph g : new Graph[] {bound, PassPipeline.optimize(bound, Pass.Mode.INFERENCE, null)}) {
            String source = source(g);
            Matcher reads = WEIGHT_READ.matcher(source);
            while (reads.find()) {
                String index = reads.group(1) != null ? reads.group(1) : reads.group(2);
                assertTrue(index.matches(".*[A-Z_]{2,}.*") || index.startsWith("wi"),
                        name + ": weights read at a bare offset: " + reads.group());
            }
            Matcher rows = ROW_READ.matcher(codeOnly(source));
            while (rows.find()) {
                assertTrue(rows.group(1).matches("[A-Z][A-Z0-9_]*_ROW( \\+ \\d+)?( \\+ \\w+)*|.* \\+ [A-Z][A-Z0-9_]*_ROW"),
                        name + ": a scratch row at a bare index: " + rows.group());
            }
            Matcher once = ONE_ITERATION.matcher(source);
            if (once.find()) {
                fail(name + ": a loop that runs once: " + once.group());
            }
            String code = codeOnly(source);
            Matcher neutral = NEUTRAL_ARITHMETIC.matcher(code);
            if (neutral.find()) {
                fail(name + ": neutral arithmetic in '" + around(code, neutral.start()) + "'");
            }
            assertFalse(source.contains("[["), name + ": a shape list printed as a list");
        }
    }

    private static String source(Graph g) {
        for (GeneratedFile f : JavaBackend.generate(g, new GenerateOptions("form", "Model", false))) {
            if (f.kind() == GeneratedFile.Kind.SOURCE) {
                return new String(f.content(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no source");
    }

    /** The source without comments and string literals (messages may say "0"). */
    private static String codeOnly(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "").replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"");
    }

    private static String around(String s, int i) {
        return s.substring(Math.max(0, i - 40), Math.min(s.length(), i + 20));
    }
}
