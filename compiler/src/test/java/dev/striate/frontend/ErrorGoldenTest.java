package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.testing.Goldens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden diagnostics: each {@code frontend/errors/*.cnn} is parsed and its only model lowered;
 * every diagnostic (errors and warnings, in source order) must match the {@code .errors} file
 * beside it. Regenerate with {@code -Dstriate.updateGoldens=true} and review the diff.
 */
class ErrorGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/frontend/errors");
    private static final boolean UPDATE = Goldens.update();

    @TestFactory
    Stream<DynamicTest> badModelsReportExactlyTheirGoldenDiagnostics() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(DIR)) {
            sources = files.filter(p -> p.toString().endsWith(".cnn")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no cases in " + DIR.toAbsolutePath());
        return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> check(src)));
    }

    private static void check(Path src) throws IOException {
        String name = src.getFileName().toString();
        Path golden = src.resolveSibling(name.substring(0, name.length() - 4) + ".errors");
        String actual = diagnostics(Files.readString(src, StandardCharsets.UTF_8), name);
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertTrue(actual.contains(": error: "), name + " should fail to compile but gave:\n" + actual);
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "diagnostics of " + name);
    }

    private static String diagnostics(String source, String fileName) {
        Diagnostics d = new Diagnostics();
        List<Diagnostic> found;
        try {
            Frontend.parse(source, fileName).model(null, d);
            found = d.sorted();
        } catch (CompileException e) {
            found = e.diagnostics();
        }
        return found.stream().map(Diagnostic::format).collect(Collectors.joining("\n", "", "\n"));
    }
}
