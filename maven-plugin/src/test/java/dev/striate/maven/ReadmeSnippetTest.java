package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's pom snippet is exactly what the {@code readme-snippet} integration test pastes
 * into a fresh project (the version aside, which the test project takes from the build), so the
 * snippet users copy is the one that is proven to work.
 */
class ReadmeSnippetTest {
    private static final Pattern FIRST_XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theIntegrationTestUsesTheReadmeSnippet() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = FIRST_XML_BLOCK.matcher(readme);
        assertTrue(block.find(), "README.md has no ```xml block");
        String version = System.getProperty("striate.version");
        assertTrue(version != null && !version.isEmpty(), "surefire passes striate.version");
        String snippet = unindent(block.group(1));
        assertTrue(snippet.contains("<version>" + version + "</version>"),
                "the README snippet names the current version " + version + ":\n" + snippet);

        String pom = Files.readString(Path.of("src/it/readme-snippet/pom.xml")).replace("@project.version@", version);

        assertTrue(unindent(pom).contains(snippet), "src/it/readme-snippet/pom.xml lacks the README snippet:\n" + snippet);
    }

    private static String unindent(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n"));
    }
}
