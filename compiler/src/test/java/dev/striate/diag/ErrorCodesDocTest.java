package dev.striate.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md lists every code of {@link ErrorCode}, under its name, and no other; its retired
 * codes are no code of {@link ErrorCode} (a retired number is never given again).
 */
class ErrorCodesDocTest {
    private static String doc() throws IOException {
        return Files.readString(Path.of("..", "docs", "errors.md"));
    }

    private static Map<String, String> declared() {
        Map<String, String> declared = new TreeMap<>();
        for (ErrorCode c : ErrorCode.values()) {
            declared.put(c.code(), c.name());
        }
        return declared;
    }

    @Test
    void theTableListsExactlyTheCodes() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (E\\d{3}) \\| ([A-Z_]+) \\|").matcher(doc());
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        assertEquals(declared(), documented);
    }

    @Test
    void retiredCodesAreNotDeclaredAgain() throws IOException {
        String doc = doc();
        int at = doc.indexOf("\n## Retired codes\n");
        assertTrue(at >= 0, "docs/errors.md has a 'Retired codes' section");
        Set<String> retired = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^- (E\\d{3})\\b").matcher(doc.substring(at));
        while (m.find()) {
            retired.add(m.group(1));
        }
        assertTrue(retired.contains("E713"), "E713 is retired: " + retired);
        for (String code : retired) {
            assertFalse(declared().containsKey(code), code + " is retired but ErrorCode declares it");
        }
    }
}
