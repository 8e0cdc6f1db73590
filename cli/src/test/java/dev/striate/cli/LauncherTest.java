package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Runs a copy of the launcher in a stand-in checkout whose {@code mvn} does what the real
     * build does to the launcher's eyes: it writes {@code cli/target/<finalName>.jar}, with the
     * finalName of the real {@code cli/pom.xml}. The launcher must build when the jar is missing
     * or older than a source, not otherwise, and run exactly the jar the build wrote.
     */
    @Test
    void buildsWhenNeededAndRunsTheJarThatTheBuildProduces() throws Exception {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(ROOT.resolve("cli/pom.xml")));
        assertTrue(m.find(), "cli/pom.xml names the shaded jar");
        Path checkout = Files.createTempDirectory("striate-checkout");
        Files.copy(SCRIPT, checkout.resolve("striate"));
        for (String dir : List.of("grammar", "runtime", "compiler/src/main", "importer/src/main", "cli/src/main/java")) {
            Files.createDirectories(checkout.resolve(dir));
        }
        Path source = Files.writeString(checkout.resolve("cli/src/main/java/A.java"), "class A {}\n");
        Path bin = Files.createDirectories(checkout.resolve("fake-bin"));
        Path calls = checkout.resolve("mvn-calls");
        fakeTool(bin.resolve("mvn"), "echo \"$@\" >> '" + calls + "'\n"
                + "mkdir -p cli/target && echo jar > 'cli/target/" + m.group(1) + ".jar'\n");
        fakeTool(bin.resolve("java"), "if [[ \"$1\" == --list-modules ]]; then exit 0; fi\n"
                + "for a in \"$@\"; do if [[ $a == *.jar ]]; then test -f \"$a\" || { echo \"no $a\"; exit 9; }; fi; done\n"
                + "echo \"$@\"\n");

        String[] first = launch(checkout, bin, "demo");
        // the stand-in java exits 9 when a jar it is given does not exist
        assertTrue(first[0].contains(" -jar ") && first[0].endsWith("/cli/target/" + m.group(1) + ".jar demo"), first[0]);
        assertTrue(first[1].contains("building striate (first run)..."), first[1]);
        List<String> built = Files.readAllLines(calls);
        assertEquals(1, built.size(), built.toString());
        assertTrue(built.get(0).matches(".*\\bpackage\\b.*") && built.get(0).contains("-pl cli -am"), built.get(0));

        launch(checkout, bin, "--version");
        assertEquals(1, Files.readAllLines(calls).size(), "an up-to-date jar is not rebuilt");

        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        String[] again = launch(checkout, bin, "--version");
        assertTrue(again[1].contains("rebuilding striate (sources changed)..."), again[1]);
        assertEquals(2, Files.readAllLines(calls).size(), "a source newer than the jar rebuilds it");
    }

    private static void fakeTool(Path path, String body) throws IOException {
        Files.writeString(path, "#!/usr/bin/env bash\n" + body);
        assertTrue(path.toFile().setExecutable(true));
    }

    /** Runs {@code checkout/striate args} with {@code bin} first on the PATH: {stdout, stderr}. */
    private static String[] launch(Path checkout, Path bin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("striate").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream()).trim();
        assertEquals(0, p.waitFor(), out + err.get());
        return new String[] {out, err.get()};
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
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
    void passesNoVectorFlagsTheCliDecidesThat() throws Exception {
        // VectorRelaunch (with VectorModule) is the one launcher rule for jdk.incubator.vector
        String jar = ROOT.resolve("cli/target/striate-cli.jar").toString();
        for (String command : new String[] {"train", "evaluate", "compile"}) {
            for (String kernel : new String[] {null, "scalar"}) {
                assertEquals("-Dstriate.home=" + ROOT + " -jar " + jar + " " + command + " m.cnn",
                        javaArguments(true, kernel, command, "m.cnn"));
            }
        }
    }
}
