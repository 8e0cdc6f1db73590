package dev.striate.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.testing.Goldens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.tree.ParseTree;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests of the grammar: every {@code examples/*.cnn} is parsed; a file with a
 * {@code .tree} golden must parse without errors to exactly that tree, a file with an
 * {@code .errors} golden must report exactly those syntax errors ({@code file:line:col: message}).
 * Run with {@code -Dstriate.updateGoldens=true} to rewrite the goldens from the current grammar.
 */
class GrammarGoldenTest {
    private static final Path EXAMPLES = Path.of("src/test/resources/examples");
    private static final boolean UPDATE = Goldens.update();

    @TestFactory
    Stream<DynamicTest> examplesMatchTheirGoldens() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            sources = files.filter(p -> p.toString().endsWith(".cnn")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no examples found in " + EXAMPLES.toAbsolutePath());
        return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> check(src)));
    }

    @Test
    void everyExampleHasExactlyOneGolden() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path src : files.filter(p -> p.toString().endsWith(".cnn")).toList()) {
                boolean tree = Files.exists(sibling(src, ".tree"));
                boolean errors = Files.exists(sibling(src, ".errors"));
                assertTrue(tree ^ errors || UPDATE, src + " needs exactly one of .tree and .errors");
            }
        }
    }

    @Test
    void unknownCharacterIsAnErrorTokenNotALexerFailure() {
        Parsed p = parse("model M { input x: [1] $ }", "t.cnn");
        assertEquals(List.of("t.cnn:1:24: extraneous input '$' expecting {'input', 'output', 'labels', '}', ID}"),
                p.errors);
    }

    private static void check(Path src) throws IOException {
        Parsed parsed = parse(Files.readString(src, StandardCharsets.UTF_8), src.getFileName().toString());
        Path treeFile = sibling(src, ".tree");
        Path errorsFile = sibling(src, ".errors");
        boolean expectErrors = Files.exists(errorsFile) || (UPDATE && !parsed.errors.isEmpty());
        if (expectErrors) {
            String actual = String.join("\n", parsed.errors) + "\n";
            if (UPDATE) {
                Files.writeString(errorsFile, actual, StandardCharsets.UTF_8);
            }
            assertFalse(parsed.errors.isEmpty(), src + " has an .errors golden but parses cleanly");
            assertEquals(Files.readString(errorsFile, StandardCharsets.UTF_8), actual, "errors of " + src);
        } else {
            if (UPDATE) {
                Files.writeString(treeFile, parsed.tree, StandardCharsets.UTF_8);
            }
            assertEquals(List.of(), parsed.errors, "syntax errors in " + src);
            assertEquals(Files.readString(treeFile, StandardCharsets.UTF_8), parsed.tree, "parse tree of " + src);
        }
    }

    private static Path sibling(Path src, String ext) {
        String n = src.getFileName().toString();
        return src.resolveSibling(n.substring(0, n.length() - ".cnn".length()) + ext);
    }

    private record Parsed(String tree, List<String> errors) {
    }

    private static Parsed parse(String text, String fileName) {
        List<String> errors = new ArrayList<>();
        BaseErrorListener listener = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int col, String msg,
                                    RecognitionException e) {
                errors.add(fileName + ":" + line + ":" + (col + 1) + ": " + msg);
            }
        };
        StriateLexer lexer = new StriateLexer(CharStreams.fromString(text, fileName));
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        StriateParser parser = new StriateParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        ParseTree tree = parser.file();
        return new Parsed(new ParseTreePrinter(parser.getRuleNames(), parser.getVocabulary()).print(tree), errors);
    }
}
