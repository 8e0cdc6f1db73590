package dev.striate.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.NastyStrings;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The escaper against javac, the only judge of what a Java source means: thousands of generated
 * hostile strings ({@link NastyStrings}) as string literals and comments of real classes.
 */
class JavaTextTest {
    private static final int BATCH = 3000;

    @Provide
    Arbitrary<String> nasty() {
        return NastyStrings.any();
    }

    @Property(tries = 5000, seed = "20261202")
    void commentsAreInertAsciiAndLossless(@ForAll("nasty") String s) {
        String c = JavaText.comment(s);
        assertAsciiPrintable(c);
        assertFalse(c.contains("*/") || c.contains("/*") || c.contains("\\") || c.contains("*"), c);
        for (char bad : "<>&@{}%".toCharArray()) {
            assertTrue(c.indexOf(bad) < 0 || (bad == '%' && c.matches("([^%]|%[0-9A-F]{2})*(\\.\\.\\. \\(\\d+ chars\\))?")), c);
        }
        assertTrue(c.length() <= JavaText.MAX_COMMENT_CHARS, c);
        if (!c.endsWith(" chars)") && !hasUnpairedSurrogate(s)) {
            assertEquals(s, percentDecode(c));
        }
    }

    @Property(tries = 5000, seed = "20261203")
    void literalsAreAsciiWithoutLineTerminatorsOrUnicodeEscapesBelow0x80(@ForAll("nasty") String s) {
        String lit = JavaText.stringLiteral(s);
        assertAsciiPrintable(lit);
        // A unicode escape may only stand for a character >= U+0080 (never a quote, backslash or line break).
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!\\\\)(\\\\\\\\)*\\\\u([0-9a-f]{4})").matcher(lit);
        while (m.find()) {
            assertTrue(Integer.parseInt(m.group(2), 16) >= 0x80, lit);
        }
    }

    @Property(tries = 2000, seed = "20261204")
    void identifiersAreAsciiJavaNames(@ForAll("nasty") String s) {
        String id = JavaText.identifier(s, "layer_", x -> false, new HashSet<>());
        assertTrue(id.matches("[A-Za-z_][A-Za-z0-9_]*") && SourceVersion.isName(id)
                && !NameRules.isRestrictedIdentifier(id), id);
    }

    /**
     * {@value #BATCH} hostile strings, each a string literal returned by a method and a comment
     * inside that method's body and Javadoc: the class compiles, has exactly those methods (no
     * injected code), and each returns its string unchanged.
     */
    @Example
    void javacReadsEveryLiteralBackAndNoCommentEscapes() throws Exception {
        List<String> strings = NastyStrings.sample(NastyStrings.any(), BATCH, 7);
        List<JavaFileObject> sources = new ArrayList<>();
        int perClass = 500;
        for (int c = 0; c * perClass < strings.size(); c++) {
            StringBuilder src = new StringBuilder("package nasty;\n\n/** Class " + c + ". */\npublic final class S" + c + " {\n");
            for (int i = c * perClass; i < Math.min(strings.size(), (c + 1) * perClass); i++) {
                String s = strings.get(i);
                src.append("    /** Returns {@code ").append(JavaText.comment(s)).append("}. */\n")
                        .append("    public static String s").append(i).append("() {\n")
                        .append("        // ").append(JavaText.comment(s)).append('\n')
                        .append("        return ").append(JavaText.stringLiteral(s)).append(";\n")
                        .append("    }\n\n");
            }
            src.append("}\n");
            assertAsciiPrintableLines(src.toString());
            sources.add(JavaFileObjects.forSourceString("nasty.S" + c, src.toString()));
        }
        Map<String, byte[]> classes = CompiledModel.javac(sources);
        assertEquals(sources.size(), classes.size(), "no extra classes: " + classes.keySet());
        ClassLoader loader = new CompiledModel.MemoryLoader(classes, Map.of());
        int checked = 0;
        for (int c = 0; c < sources.size(); c++) {
            Class<?> type = loader.loadClass("nasty.S" + c);
            int expectedMethods = Math.min(strings.size(), (c + 1) * perClass) - c * perClass;
            assertEquals(expectedMethods, type.getDeclaredMethods().length, "injected methods in S" + c);
            for (Method m : type.getDeclaredMethods()) {
                int i = Integer.parseInt(m.getName().substring(1));
                assertArrayEquals(strings.get(i).toCharArray(), ((String) m.invoke(null)).toCharArray(),
                        "literal " + i + ": " + JavaText.comment(strings.get(i)));
                checked++;
            }
        }
        assertEquals(BATCH, checked);
    }

    @Test
    void literalExamples() {
        assertEquals("\"a\\\"b\\\\c\\n\\000\\177\\u2028\\ud83d\\ude00\"",
                JavaText.stringLiteral("a\"b\\c\n\u0000\u007f\u2028\uD83D\uDE00"));
    }

    @Test
    void commentExamples() {
        assertEquals("d %2A/ x %5Cu000a %E2%80%A8 %40param", JavaText.comment("d */ x \\u000a \u2028 @param"));
        String longName = "n".repeat(5_000_000);
        String c = JavaText.comment(longName);
        assertTrue(c.length() <= JavaText.MAX_COMMENT_CHARS && c.endsWith("... (5000000 chars)"), c);
    }

    private static void assertAsciiPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            assertTrue(c >= 0x20 && c < 0x7f, "not printable ASCII at " + i + " in " + s);
        }
    }

    private static void assertAsciiPrintableLines(String source) {
        for (String line : source.split("\n", -1)) {
            assertAsciiPrintable(line);
        }
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
