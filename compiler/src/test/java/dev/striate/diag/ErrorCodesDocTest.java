package dev.striate.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/errors.md lists every code of {@link ErrorCode}, under its name, and no other. */
class ErrorCodesDocTest {
    @Test
    void theTableListsExactlyTheCodes() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "errors.md"));
        Map<String, String> documented = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (E\\d{3}) \\| ([A-Z_]+) \\|").matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        Map<String, String> declared = new TreeMap<>();
        for (ErrorCode c : ErrorCode.values()) {
            declared.put(c.code(), c.name());
        }
        assertEquals(declared, documented);
    }
}
