package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code ./striate} launcher at the repository root, checked without building anything. */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("striate");

    @Test
    void isAnExecutableBashScriptWithValidSyntax() throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), "chmod +x striate");
        assertTrue(Files.readString(SCRIPT).startsWith("#!/usr/bin/env bash\n"));
        Process bash = new ProcessBuilder("bash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), out);
    }

    @Test
    void runsTheJarThatTheBuildProduces() throws Exception {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(ROOT.resolve("compiler/pom.xml")));
        assertTrue(m.find(), "compiler/pom.xml names the shaded jar");
        String script = Files.readString(SCRIPT);
        assertTrue(script.contains("JAR=\"$ROOT/compiler/target/" + m.group(1) + ".jar\""), script);
        assertEquals("striate-cli", m.group(1));
        assertTrue(script.contains("mvn -B -q -DskipTests package -pl compiler -am"), script);
        assertTrue(script.contains("\"building striate (first run)...\""), script);
        assertTrue(script.contains("-jar \"$JAR\" \"$@\""), script);
    }
}
