package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.Value;
import dev.striate.grammar.StriateLexer;
import dev.striate.ir.Graph;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile source text: encodings, byte order marks, control characters, bad escapes, nesting
 * that would run the parser off the stack, very long inputs and huge tokens. Each must end in
 * positioned diagnostics (or be accepted), never in an exception other than {@link CompileException}.
 */
class HostileSourceTest {
    private static final String FILE = "m.cnn";

    private static CompileException parseFails(String source) {
        return assertThrows(CompileException.class, () -> Frontend.parse(source, FILE).model(null));
    }

    private static Diagnostic only(CompileException e) {
        assertEquals(1, e.diagnostics().size(), e.getMessage());
        return e.diagnostics().get(0);
    }

    private static String nested(String open, String close, int levels) {
        return "model M {\n    input x: [4]\n    dense(units=" + open.repeat(levels) + close.repeat(levels) + ")\n}\n";
    }

    @Test
    void twoThousandNestedListsAreRefusedAtTheFirstLevelTooDeep() {
        Diagnostic d = only(parseFails(nested("[", "]", 2000)));
        assertEquals(ErrorCode.NESTING_TOO_DEEP, d.code());
        assertEquals(3, d.pos().line());
        // "    dense(units=" is 16 characters; its '(' is the first level, so the
        // MAX_NESTING-th '[' (column 16 + MAX_NESTING) is one level too deep.
        assertEquals(16 + Frontend.MAX_NESTING, d.pos().column());
        assertTrue(d.message().contains("deeper than " + Frontend.MAX_NESTING + " levels"), d.message());
    }

    @Test
    void nestingUpToTheLimitParses() {
        // the layer call's own parenthesis is one level
        String source = nested("[", "]", Frontend.MAX_NESTING - 1);
        SourceFile file = Frontend.parse(source, FILE).ast();
        Value v = file.models().get(0).statements().get(1) instanceof dev.striate.frontend.ast.Statement.LayerStmt l
                ? l.chain().calls().get(0).arguments().get(0).value() : null;
        int depth = 0;
        while (v instanceof Value.ListValue list && !list.items().isEmpty()) {
            v = list.items().get(0);
            depth++;
        }
        assertEquals(Frontend.MAX_NESTING - 2, depth);
        assertEquals(ErrorCode.NESTING_TOO_DEEP, only(parseFails(nested("[", "]", Frontend.MAX_NESTING))).code());
    }

    @Test
    void deeplyNestedCallsAndMismatchedBracketsAreRefused() {
        assertEquals(ErrorCode.NESTING_TOO_DEEP, only(parseFails(nested("f(", ")", 2000))).code());
        assertEquals(ErrorCode.NESTING_TOO_DEEP, only(parseFails(nested("[)", "", 5000))).code());
        assertEquals(ErrorCode.NESTING_TOO_DEEP, only(parseFails(nested("f(]", "", 5000))).code());
        assertEquals(ErrorCode.NESTING_TOO_DEEP, only(parseFails(nested("[", "", 100_000))).code());
    }

    @Test
    void theParserItselfStopsAtItsRuleDepthLimit() {
        // The backstop behind the bracket count: parse 2,000 levels without the token check.
        String source = nested("[", "]", 2000);
        DepthLimitedParser parser = new DepthLimitedParser(new CommonTokenStream(
                new StriateLexer(CharStreams.fromString(source))));
        parser.removeErrorListeners();
        DepthLimitedParser.TooDeep e = assertThrows(DepthLimitedParser.TooDeep.class, parser::file);
        assertEquals(3, e.at().getLine());
        assertEquals(StriateLexer.LBRACK, e.at().getType());
    }

    @Test
    void longFlatInputsDoNotRecurse() {
        StringBuilder statements = new StringBuilder("model M {\n    input x: [4]\n");
        statements.append("    relu\n".repeat(100_000)).append("}\n");
        assertEquals(100_001, Frontend.parse(statements.toString(), FILE).ast().models().get(0).statements().size());
        String chain = "model M {\n    input x: [4]\n    " + String.join(" -> ", java.util.Collections.nCopies(100_000,
                "relu")) + "\n}\n";
        assertEquals(1, Frontend.parse(chain, FILE).ast().models().size());
        String list = "model M {\n    input x: [4]\n    dense(2, name=[" + "1,".repeat(200_000) + "1])\n}\n";
        assertEquals(1, Frontend.parse(list, FILE).ast().models().size());
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirOffsetAndPosition() {
        byte[] bytes = "model M {\n  // caf\u00e9 \u00e9\u00e9 X\n}\n".getBytes(StandardCharsets.UTF_8);
        int x = new String(bytes, StandardCharsets.UTF_8).indexOf('X');
        int offset = "model M {\n  // caf\u00e9 \u00e9\u00e9 ".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(offset, new String(bytes, 0, offset, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length);
        bytes[offset] = (byte) 0xE9; // Latin-1 e-acute where 'X' was
        Diagnostic d = only(assertThrows(CompileException.class, () -> SourceText.decode(bytes, FILE)));
        assertEquals(ErrorCode.ENCODING, d.code());
        assertEquals(2, d.pos().line());
        assertEquals(x - "model M {\n".length() + 1, d.pos().column());
        assertTrue(d.message().contains("not valid UTF-8"), d.message());
        assertTrue(d.message().contains("0xE9") && d.message().contains("offset " + offset), d.message());
    }

    @Test
    void encodedSurrogatesAndTruncatedSequencesAreNotUtf8() {
        byte[] surrogate = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        Diagnostic d = only(assertThrows(CompileException.class, () -> SourceText.decode(surrogate, FILE)));
        assertEquals(ErrorCode.ENCODING, d.code());
        assertEquals(2, d.pos().column());
        byte[] truncated = {'a', 'b', (byte) 0xE2, (byte) 0x82};
        d = only(assertThrows(CompileException.class, () -> SourceText.decode(truncated, FILE)));
        assertTrue(d.message().contains("offset 2"), d.message());
        assertEquals(3, d.pos().column());
    }

    @Test
    void aByteOrderMarkIsAcceptedAndDoesNotShiftColumns() {
        String body = "model M {\n    input x: [4]\n    dense(2)\n}\n";
        byte[] withBom = ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8);
        assertEquals(body, SourceText.decode(withBom, FILE));
        Graph g = Frontend.parse("\uFEFF" + body, FILE).model(null);
        assertEquals(2, g.nodes().size());
        String bad = "model M { input x: [4] dense(2) ? }\n";
        assertEquals(only(parseFails(bad)).format(), only(parseFails("\uFEFF" + bad)).format());
    }

    @Test
    void controlCharactersNulAndLoneSurrogatesAreNamedByCodePoint() {
        Diagnostic nul = only(parseFails("model M {\n    input x: [4]\u0000\n}\n"));
        assertEquals("m.cnn:2:17: error: unexpected character U+0000 (a NUL byte) [E001]", nul.format());
        Diagnostic bell = only(parseFails("model M {\u0007 }\n"));
        assertTrue(bell.message().contains("U+0007 (a control character)"), bell.message());
        Diagnostic lone = only(parseFails("model M { \uD800 }\n"));
        assertEquals(ErrorCode.SYNTAX, lone.code());
        assertTrue(lone.message().contains("U+D800"), lone.message());
        Diagnostic accent = only(parseFails("model M { \u00e9 }\n"));
        assertTrue(accent.message().contains("'\u00e9' (U+00E9)"), accent.message());
    }

    @Test
    void anUnknownEscapeIsNamedAtItsPosition() {
        Diagnostic d = only(parseFails("model M {\n    input x: [4]\n    dense(2)\n    labels [\"a\", \"b\\q\"]\n}\n"));
        assertEquals("m.cnn:4:20: error: unknown escape \\q in a string; the escapes are \\\" \\\\ \\n and \\t [E001]",
                d.format());
        Diagnostic ctl = only(parseFails("model M {\n    labels [\"\u00e9\u00e9\\\u0001\"]\n}\n"));
        assertEquals(2, ctl.pos().line());
        assertEquals(16, ctl.pos().column());
        assertTrue(ctl.message().contains("U+0001"), ctl.message());
        Diagnostic unterminated = parseFails("model M {\n    labels [\"ab\n}\n").diagnostics().get(0);
        assertTrue(unterminated.message().startsWith("unterminated string"), unterminated.message());
    }

    @Test
    void unclosedCommentsAndStringsAreLexedInLinearTime() {
        // 200,000 openers: rescanning the rest of the input from each would take minutes
        String comments = "model M {\n" + "/* ".repeat(200_000) + "\n}\n";
        Diagnostic c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> only(parseFails(comments)));
        assertEquals("m.cnn:2:1: error: unclosed comment: '/*' has no matching '*/' [E001]", c.format());
        String quotes = "model M {\n    labels [" + "\"\\".repeat(200_000) + "\n}\n";
        Diagnostic q = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parseFails(quotes).diagnostics().get(0));
        assertEquals("m.cnn:2:13: error: unterminated string: a string ends with '\"' on the same line [E001]",
                q.format());
    }

    @Test
    void validEscapesStillDecode() {
        Graph g = Frontend.parse("model M {\n    input x: [4]\n    dense(2)\n    labels [\"a\\\"\\\\\", \"b\"]\n}\n",
                FILE).model(null);
        assertEquals(List.of("a\"\\", "b"), g.labels());
        // \n and \t decode to a line feed and a tab, which labels may not hold (E210 names them).
        Diagnostic lf = only(parseFails("model M {\n    input x: [4]\n    dense(2)\n    labels [\"a\", \"b\\n\"]\n}\n"));
        assertTrue(lf.format().contains("control character (U+000A) at character 2"), lf.format());
        Diagnostic tab = only(parseFails("model M {\n    input x: [4]\n    dense(2)\n    labels [\"a\", \"\\tb\"]\n}\n"));
        assertTrue(tab.format().contains("control character (U+0009) at character 1"), tab.format());
    }

    @Test
    void integersTooLargeForAnIntAreRefusedAtTheirPosition() {
        Diagnostic d = only(parseFails("model M {\n    input x: [4]\n    dense(99999999999999999999)\n}\n"));
        assertEquals("m.cnn:3:11: error: dense argument 'units' is too large: 99999999999999999999"
                + " (at most 2,147,483,647) [E307]", d.format());
        String digits = "9".repeat(100_000);
        Diagnostic huge = only(parseFails("model M {\n    input x: [4]\n    dense(" + digits + ")\n}\n"));
        assertEquals(ErrorCode.TOO_LARGE, huge.code());
        assertTrue(huge.format().length() < 300, huge.format());
        Diagnostic inf = only(parseFails("model M {\n    input x: [4]\n    dense(2)\n    dropout(1e999)\n}\n"));
        assertEquals(ErrorCode.BAD_VALUE, inf.code());
    }

    @Test
    void aFiveMegabyteNameIsCutInTheMessage() {
        String name = "a".repeat(5_000_000);
        Diagnostic d = only(parseFails("model M {\n    input x: [4]\n    " + name + "(2)\n}\n"));
        assertEquals(ErrorCode.UNKNOWN_OP, d.code());
        assertTrue(d.format().length() < 200, d.format().length() + " characters");
        assertTrue(d.message().contains("(5,000,002 characters)"), d.message());
        assertTrue(d.message().startsWith("unknown layer 'aaaa"), d.message());
    }

    @Test
    void depthwiseErrorsNameTheOpAsWritten() {
        Diagnostic d = only(parseFails("model M {\n    input x: [3, 8, 8]\n    depthwise_conv2d(kernel=9)\n}\n"));
        assertTrue(d.message().startsWith("depthwise_conv2d: the window spans 9 rows"), d.message());
        Diagnostic conv = only(parseFails("model M {\n    input x: [3, 8, 8]\n    conv2d(4, kernel=9)\n}\n"));
        assertTrue(conv.message().startsWith("conv2d: the window spans 9 rows"), conv.message());
    }

    @Test
    void everyDiagnosticIsOneShortLine() {
        String spaced = "labels ['" + "word ".repeat(100_000) + "'] do not fit";
        String clipped = Diagnostic.clip(spaced);
        assertTrue(clipped.length() <= Diagnostic.MAX_MESSAGE + 10, clipped.length() + " characters");
        assertTrue(clipped.startsWith("labels ['word word") && clipped.endsWith("word '] do not fit"), clipped);
        assertEquals("a\\u000ab\\u2028c", Diagnostic.clip("a\nb\u2028c"));
        String plain = "dense expects a flat input, got [1, 28, 28]; add 'flatten' before it";
        assertEquals(plain, Diagnostic.clip(plain));
        Diagnostic d = Diagnostic.error(ErrorCode.UNKNOWN_NAME, null, "unknown name '" + "n".repeat(1_000_000) + "\n'");
        assertFalse(d.format().contains("\n"));
        assertTrue(d.format().length() < 200, d.format());
    }
}
