package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                .matcher(Files.readString(ROOT.resolve("cli/pom.xml")));
        assertTrue(m.find(), "cli/pom.xml names the shaded jar");
        String script = Files.readString(SCRIPT);
        assertTrue(script.contains("JAR=\"$ROOT/cli/target/" + m.group(1) + ".jar\""), script);
        assertEquals("striate-cli", m.group(1));
        assertTrue(script.contains("mvn -B -q -DskipTests package -pl cli -am"), script);
        assertTrue(script.contains("\"building striate (first run)...\""), script);
        assertTrue(script.contains("-jar \"$JAR\" \"$@\""), script);
    }

    /**
     * Runs the launcher with stand-ins for {@code java} (prints its arguments; lists the vector
     * module when {@code hasVector}) and {@code mvn} on the PATH, and returns what java received.
     */
    private static String javaArguments(boolean hasVector, String kernel, String... args) throws Exception {
        Path bin = Files.createTempDirectory("striate-launcher");
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\n"
                + "if [[ \"$1\" == --list-modules ]]; then echo java.base@17; "
                + (hasVector ? "echo jdk.incubator.vector@17; " : "") + "exit 0; fi\n"
                + "echo \"$@\"\n");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/usr/bin/env bash\nexit 0\n");
        fakeJava.toFile().setExecutable(true);
        mvn.toFile().setExecutable(true);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", SCRIPT.toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("STRIATE_KERNEL");
        if (kernel != null) {
            pb.environment().put("STRIATE_KERNEL", kernel);
        }
        Process p = pb.start();
        p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void trainAndEvaluateGetTheVectorModuleWhenTheJdkHasIt() throws Exception {
        assertTrue(javaArguments(true, null, "train", "m.cnn").startsWith("--add-modules jdk.incubator.vector "));
        assertTrue(javaArguments(true, null, "evaluate", "m.cnn").startsWith("--add-modules jdk.incubator.vector "));
        String compile = javaArguments(true, null, "compile", "m.cnn");
        assertFalse(compile.contains("incubator"), compile);
        String without = javaArguments(false, null, "train", "m.cnn");
        assertFalse(without.contains("incubator"), without);
        assertTrue(without.endsWith("-jar " + ROOT.resolve("cli/target/striate-cli.jar") + " train m.cnn"), without);
        String scalar = javaArguments(true, "scalar", "train", "m.cnn");
        assertTrue(scalar.startsWith("-Dstriate.kernel=scalar "), scalar);
        assertFalse(scalar.contains("incubator"), scalar);
    }
}
