package dev.striate.text;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.SourceVersion;

/**
 * The one place where text from users (layer and model names, labels, tensor keys; later names
 * read from ONNX or Keras files) becomes part of generated Java source. Every result is printable
 * ASCII, so a generated file means the same in every encoding, and none can end a comment or a
 * string, start a line, or form a unicode escape ({@code \}{@code u000a} is a line break to javac
 * even inside a comment):
 * <ul>
 *   <li>{@link #stringLiteral}: a Java string literal with the same characters;</li>
 *   <li>{@link #comment}: readable text for {@code //} and Javadoc comments, with every character
 *       outside a small safe set percent-encoded as UTF-8 ({@code %0A}, {@code %E2%80%A8}), so no
 *       {@code *}{@code /}, backslash, line break or HTML markup survives;</li>
 *   <li>{@link #identifier}: a Java identifier derived from a name, for method and field names.</li>
 * </ul>
 * Code generators must not pass user text to JavaPoet's {@code $S} or {@code $L} any other way:
 * {@code $S} leaves non-ASCII characters raw, and JavaPoet writes a raw U+2028 as a line break.
 */
public final class JavaText {
    /** Comment text is cut (with a note of the full length) beyond this many characters. */
    public static final int MAX_COMMENT_CHARS = 120;
    /** Characters of a name kept in an identifier derived from it. */
    public static final int MAX_IDENTIFIER = 40;

    private static final String SAFE_PUNCTUATION = " _-.,:;=+#()[]!?'\"$^|~/";

    private JavaText() {
    }

    /** A Java string literal, quotes included, holding exactly {@code text}; ASCII only. */
    public static String stringLiteral(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean afterLoneHigh = i > 0 && Character.isHighSurrogate(text.charAt(i - 1)) && !Character.isLowSurrogate(c);
            switch (c) {
                case '"' -> b.append("\\\"");
                // javac (17 to 25) misreads an escaped lone high surrogate followed by an escaped backslash and a u
                // as the start of a surrogate pair; the octal escape of the backslash avoids that.
                case '\\' -> b.append(afterLoneHigh ? "\\134" : "\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // Octal, never a unicode escape: javac reads a unicode escape of a line feed as a real line break.
                        b.append('\\').append(Integer.toOctalString(0x200 | c).substring(1));
                    } else if (c < 0x7f) {
                        b.append(c);
                    } else {
                        // Only characters >= U+0080 are written as unicode escapes: none of them is
                        // a quote, a backslash or a Java line terminator.
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * {@code text} for a comment: letters, digits and {@value #SAFE_PUNCTUATION} as they are,
     * everything else percent-encoded; at most {@link #MAX_COMMENT_CHARS} characters, longer text is
     * cut and says how long it was.
     */
    public static String comment(String text) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int before = b.length();
            if (cp < 0x80 && (Character.isLetterOrDigit(cp) || SAFE_PUNCTUATION.indexOf(cp) >= 0)) {
                b.append((char) cp);
            } else {
                byte[] utf8 = Character.isSurrogate((char) cp)
                        // An unpaired surrogate has no UTF-8 form: its three bytes as if it had (WTF-8).
                        ? new byte[] {(byte) 0xED, (byte) (0x80 | ((cp >> 6) & 0x3F)), (byte) (0x80 | (cp & 0x3F))}
                        : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (byte x : utf8) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
                }
            }
            i += Character.charCount(cp);
            if (b.length() > MAX_COMMENT_CHARS - 20 && i < text.length()) {
                b.setLength(before);
                b.append("... (").append(text.length()).append(" chars)");
                break;
            }
        }
        return b.toString();
    }

    /**
     * A Java identifier for {@code name}, unique within {@code taken} (which it joins): ASCII
     * letters, digits and underscores of the name (each run of others becomes one {@code _}), at most
     * {@value #MAX_IDENTIFIER} of them,
     * prefixed with {@code prefix} when the result would not be a usable identifier or
     * {@code reserved} says so, and numbered {@code _2}, {@code _3}... on a clash. Deterministic for a given
     * sequence of names.
     */
    public static String identifier(String name, String prefix, Predicate<String> reserved, Set<String> taken) {
        StringBuilder sb = new StringBuilder();
        boolean replaced = false;
        for (int i = 0; i < name.length() && sb.length() < MAX_IDENTIFIER; i++) {
            char c = name.charAt(i);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_')) {
                sb.append(c);
                replaced = false;
            } else if (!replaced) {
                sb.append('_');
                replaced = true;
            }
        }
        String base = sb.toString();
        if (base.isEmpty() || Character.isDigit(base.charAt(0)) || !SourceVersion.isName(base)
                || NameRules.isRestrictedIdentifier(base) || reserved.test(base)) {
            base = prefix + base;
        }
        String id = base;
        for (int k = 2; !taken.add(id); k++) {
            id = base + "_" + k;
        }
        return id;
    }
}
