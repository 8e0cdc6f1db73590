package dev.striate.weights;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text from a weights file (tensor and model names, field values) as it appears in messages: at most {@value #MAX} characters (longer text
 * is cut and says how long it was) and with control, line-separator and formatting characters
 * (which could forge lines or reorder a terminal's output) written as {@code \}{@code uXXXX}.
 */
public final class Show {
    /** The most characters of one piece of text a message shows. */
    public static final int MAX = 80;

    private Show() {
    }

    /** {@code text} shortened to {@value #MAX} characters and made printable. */
    public static String text(String text) {
        return text(text, MAX);
    }

    /** {@code text} shortened to {@code max} characters and made printable. */
    public static String text(String text, int max) {
        String cut = text.length() <= max ? text : text.substring(0, max);
        StringBuilder sb = new StringBuilder(cut.length() + 16);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (isUnsafe(cut, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (cut.length() < text.length()) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    /**
     * Whether the character at {@code i} must not reach a terminal or a log as it is: a control,
     * line-separator or formatting character (bidirectional overrides among them), or half of a
     * surrogate pair without its other half. Messages write such characters as {@code \}{@code uXXXX}.
     */
    public static boolean isUnsafe(CharSequence s, int i) {
        char c = s.charAt(i);
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT
                || type == Character.SURROGATE && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)) || Character.isLowSurrogate(c) && i > 0
                        && Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** A JSON value as compact JSON, shortened and made printable. */
    static String json(JsonNode node) {
        if (node.isContainerNode() && node.size() > MAX) {
            return text(node.isArray() ? "[" + node.get(0) + ", ... " + node.size() + " elements]"
                    : "{... " + node.size() + " fields}");
        }
        return text(node.toString());
    }
}
