package dev.striate.testing;

import dev.striate.text.NameRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

/**
 * A generator of hostile strings for names and labels: pieces that end comments and strings, form
 * unicode escapes ({@code \}{@code u000a}), break lines (LF, CR, U+2028, U+2029, U+0085), inject
 * JavaPoet, printf, Javadoc and HTML markup, reorder text (U+202E), split surrogate pairs, or carry
 * Java statements, mixed with random characters of the whole UTF-16 range. Seeded: the same seed
 * gives the same strings.
 */
public final class NastyStrings {
    private static final String BACKSLASH = "\\";
    private static final String U = BACKSLASH + "u";

    /** The pieces the strings are made of, besides random characters. */
    public static final List<String> FRAGMENTS = List.of(
            "*/", "/*", "//", "/**", "*", "/", U + "000a", U + "000A", U + "000d", U + "002a" + U + "002f",
            U + "uu000a", U + "2028", BACKSLASH, BACKSLASH + BACKSLASH + "u000a", BACKSLASH + "\"", U + "0022",
            "\"", "'", "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\u0000", "\u001b[2J", "\t", "\f", "\b",
            "\u007f", "\u009b", "$L", "$S", "$T", "$N", "$$", "$", "%s", "%n", "%", "%0A", "{@code ", "}", "{",
            "@param x", "@Override", "<script>", "</pre>", "&amp;", "&#42;&#47;", "<!--", "-->",
            "\uD83D\uDE00", "\uD800", "\uDC00", "\uDBFF\uDFFF", "\u202E", "\u2066", "\u200B", "\uFEFF",
            "\u00e9", "\u00df", "\u4e2d\u6587", "\u0645", "\uFFFF", "\uFFFE",
            "System.exit(3);", "static { System.exit(3); }", "); System.exit(3); (", "\"; System.exit(3); \"",
            "}}}", "class X {}", "import java.io.*;", "return;", "conv2d_1", "run", "load", "INPUT_SIZE",
            " ", "  ", "x", "0", "_", "-", ".");

    private NastyStrings() {
    }

    /** Any non-empty string: fragments and random UTF-16 code units, including unpaired surrogates. */
    public static Arbitrary<String> any() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(FRAGMENTS)),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().all().map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6)));
        return piece.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    /** Strings that {@link NameRules#textProblem} accepts as a layer name or a label. */
    public static Arbitrary<String> printable() {
        return any().filter(s -> NameRules.textProblem(s, "x") == null);
    }

    /** {@code count} distinct strings of {@code arbitrary}, drawn with {@code seed}. */
    public static List<String> sample(Arbitrary<String> arbitrary, int count, long seed) {
        RandomGenerator<String> gen = arbitrary.generator(1000);
        Random random = new Random(seed);
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < count) {
            out.add(gen.next(random).value());
        }
        return new ArrayList<>(out);
    }
}
