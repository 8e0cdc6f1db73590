package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * snippet users copy is the one that is proven to work; and that project changes nothing else of
 * Maven's defaults, so the snippet must carry everything it needs (the compiler plugin included).
 */
class ReadmeSnippetTest {
    /** The snippet users copy: the root README's "Use from Maven" (surefire runs in maven-plugin/). */
    private static final Path ROOT_README = Path.of("../README.md");
    private static final Pattern FIRST_XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PLUGINS = Pattern.compile("<build>\\s*<plugins>\\n(.*?)</plugins>\\s*</build>", Pattern.DOTALL);

    private static String version() {
        String version = System.getProperty("striate.version");
        assertTrue(version != null && !version.isEmpty(), "surefire passes striate.version");
        return version;
    }

    private static String snippet(Path readme) throws IOException {
        Matcher block = FIRST_XML_BLOCK.matcher(Files.readString(readme));
        assertTrue(block.find(), readme + " has no ```xml block");
        return unindent(block.group(1));
    }

    private static String itPom() throws IOException {
        return Files.readString(Path.of("src/it/readme-snippet/pom.xml")).replace("@project.version@", version());
    }

    @Test
    void theIntegrationTestsPluginsAreExactlyTheReadmeSnippet() throws IOException {
        String snippet = snippet(ROOT_README);
        assertTrue(snippet.contains("<version>" + version() + "</version>"),
                "the README snippet names the current version " + version() + ":\n" + snippet);
        Matcher plugins = PLUGINS.matcher(itPom());
        assertTrue(plugins.find(), "src/it/readme-snippet/pom.xml has no <build><plugins>");
        assertEquals(snippet, unindent(plugins.group(1)),
                "src/it/readme-snippet/pom.xml's <build><plugins> differs from the README snippet");
    }

    @Test
    void theSnippetPinsACompilerPluginThatCompilesForJava11() throws IOException {
        // Maven 3.8's default maven-compiler-plugin (3.1) targets Java 5, which JDK 17 refuses.
        String snippet = snippet(ROOT_README);
        assertTrue(Pattern.compile("<artifactId>maven-compiler-plugin</artifactId>\\n<version>3\\.\\d+\\.\\d+</version>")
                        .matcher(snippet).find(), "the snippet pins maven-compiler-plugin 3.x:\n" + snippet);
        assertTrue(snippet.contains("<release>11</release>"), "the snippet compiles for Java 11:\n" + snippet);
    }

    @Test
    void theIntegrationTestProjectKeepsMavensDefaultsOtherwise() throws IOException {
        String pom = itPom();
        String rest = PLUGINS.matcher(pom).replaceFirst("");
        for (String element : new String[] {"<plugin>", "<pluginManagement>", "<properties>", "<parent>", "<profiles>"}) {
            assertFalse(rest.contains(element), "outside the snippet, the test project's pom has " + element + ":\n" + pom);
        }
    }

    @Test
    void theSnippetIsKeptOnceInTheRootReadme() throws IOException {
        String pluginReadme = Files.readString(Path.of("README.md"));
        assertFalse(pluginReadme.contains("<artifactId>striate-maven-plugin</artifactId>"),
                "maven-plugin/README.md repeats the pom snippet; it links to the root README's \"Use from Maven\" instead");
        assertTrue(pluginReadme.contains("../README.md#use-from-maven"),
                "maven-plugin/README.md links to the root README's \"Use from Maven\"");
    }

    private static String unindent(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n")).strip();
    }
}
