package dev.striate.text;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * What user text may be, wherever it comes from (a {@code .cnn} file, a flag, a folder name, a
 * weights or imported model file). Each check returns {@code null} when the text is acceptable and
 * otherwise the reason, phrased to follow the subject ("model name 'System' ..."), so callers can
 * report it at the right position.
 *
 * <ul>
 *   <li>Class names (a model's name is its class's default name; {@code --class}): an ASCII Java
 *       identifier without {@code $}, not a keyword or a restricted identifier ({@code var},
 *       {@code record}, {@code yield}, {@code sealed}, {@code permits}, {@code _}), not a name the
 *       generated class refers to ({@link #NAMES_USED_BY_GENERATED_CODE}: {@code System},
 *       {@code Math}, {@code String}, {@code Float}, {@code java}) or declares ({@code Weights0}...), not a device name that
 *       Windows cannot use as a file name ({@code CON}, {@code NUL}...), at most
 *       {@value #MAX_CLASS_NAME} characters.</li>
 *   <li>Package names ({@code --package}, the Maven plugin's folders): dot-separated ASCII
 *       identifiers that are not keywords, not starting with {@code java}.</li>
 *   <li>Layer names and labels: any text of at most {@value #MAX_TEXT} characters without control
 *       characters, line or paragraph separators, bidirectional-override characters or unpaired
 *       surrogates (they reach terminals, comments and string literals).</li>
 * </ul>
 */
public final class NameRules {
    /** Characters in a class name: the file name {@code Name.weights} must fit common file systems. */
    public static final int MAX_CLASS_NAME = 200;
    /** Characters in a layer name or a label. */
    public static final int MAX_TEXT = 256;
    /** Characters in a package name. */
    public static final int MAX_PACKAGE_NAME = 500;

    /**
     * Simple names that the generated classifier uses without qualification ({@code java} starts
     * the qualified names it writes); a class of that name would hide them. {@code NameRulesTest}
     * compiles a model using every op, named after every word of its generated source, and checks
     * that every {@code java.lang} type named in the code generators' text is listed here.
     */
    public static final Set<String> NAMES_USED_BY_GENERATED_CODE = Set.of("System", "Math", "String", "Float",
            "java", "javax");

    private static final Set<String> RESTRICTED = Set.of("var", "yield", "record", "sealed", "permits", "_");
    private static final Pattern ASCII_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DECLARED = Pattern.compile("Weights[0-9]+");
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(con|prn|aux|nul|com[0-9]|lpt[0-9])");

    private NameRules() {
    }

    /** Identifiers that are not keywords but cannot name a type: {@code var}, {@code record}... */
    public static boolean isRestrictedIdentifier(String name) {
        return RESTRICTED.contains(name);
    }

    /** Why {@code name} cannot be the simple name of a generated class, or null when it can. */
    public static String classNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_CLASS_NAME) {
            return "has " + name.length() + " characters; a class name may have at most " + MAX_CLASS_NAME;
        }
        if (!ASCII_IDENTIFIER.matcher(name).matches()) {
            return "is not a Java class name: use ASCII letters, digits and '_', not starting with a digit";
        }
        if (SourceVersion.isKeyword(name, SourceVersion.latest()) || SourceVersion.isKeyword(name)) {
            return "is a Java keyword and cannot name a class";
        }
        if (RESTRICTED.contains(name)) {
            return "is a restricted identifier in Java and cannot name a class";
        }
        if (NAMES_USED_BY_GENERATED_CODE.contains(name)) {
            return "would hide " + name + ", which the generated code uses; choose another name";
        }
        if (DECLARED.matcher(name).matches()) {
            return "is the name of a class nested in the generated class; choose another name";
        }
        if (WINDOWS_DEVICE.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
            return "is a device name on Windows and cannot name a file there; choose another name";
        }
        return null;
    }

    /** Why {@code name} cannot be the package of a generated class, or null when it can ("" is the default package). */
    public static String packageNameProblem(String name) {
        if (name.isEmpty()) {
            return null;
        }
        if (name.length() > MAX_PACKAGE_NAME) {
            return "has " + name.length() + " characters; a package name may have at most " + MAX_PACKAGE_NAME;
        }
        for (String part : name.split("\\.", -1)) {
            if (!ASCII_IDENTIFIER.matcher(part).matches()) {
                return "is not a Java package name: use dot-separated ASCII identifiers (letters, digits, '_')";
            }
            if (SourceVersion.isKeyword(part, SourceVersion.latest()) || SourceVersion.isKeyword(part)
                    || part.equals("_")) {
                return "contains the Java keyword '" + part + "'";
            }
        }
        if (name.equals("java") || name.startsWith("java.")) {
            return "is reserved for the JDK (packages java.*)";
        }
        return null;
    }

    /**
     * Why {@code text} cannot be a layer name or a label ({@code what} names it in the message), or
     * null when it can.
     */
    public static String textProblem(String text, String what) {
        if (text.isEmpty()) {
            return what + " is empty";
        }
        if (text.length() > MAX_TEXT) {
            return what + " has " + text.length() + " characters; at most " + MAX_TEXT + " are allowed";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            String bad = forbidden(c);
            if (bad != null) {
                return what + " contains " + bad + String.format(" (U+%04X) at character %d", (int) c, i + 1)
                        + "; names and labels must be printable text";
            }
        }
        return null;
    }

    private static String forbidden(char c) {
        if (Character.isSurrogate(c)) {
            return "an unpaired surrogate";
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL -> "a control character";
            case Character.LINE_SEPARATOR -> "a line separator";
            case Character.PARAGRAPH_SEPARATOR -> "a paragraph separator";
            default -> isBidiControl(c) ? "a bidirectional-text control character" : null;
        };
    }

    private static boolean isBidiControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C;
    }
}
