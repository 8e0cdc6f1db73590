package dev.striate.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI distribution that {@code mvn package} builds ({@code target/striate-VERSION.zip} and
 * {@code .tar.gz}), unpacked with {@code tar} into a temporary folder and run there as a stranger
 * would: a cleared environment whose PATH holds only a few POSIX tools (no Maven, no java), and
 * the JDK given by JAVA_HOME or put on PATH.
 */
class DistributionIT {
    private static final String VERSION = System.getProperty("striate.dist.version");
    private static final Path ARCHIVE = Path.of(System.getProperty("striate.dist.archive"));
    private static final Path JDK = Path.of(System.getProperty("java.home"));
    /** The repository root (tests run in distribution/). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    /** The unpacked distribution, striate-VERSION/. */
    static Path home;
    /** A folder of symbolic links to the POSIX tools the launcher uses, and nothing else. */
    static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        Path tgz = Path.of(ARCHIVE + ".tar.gz");
        assertTrue(Files.isRegularFile(tgz), tgz + " (built by mvn package)");
        Run tar = run(List.of("tar", "-xzf", tgz.toString(), "-C", dir.toString()), dir, System.getenv());
        assertEquals(0, tar.exit, tar.toString());
        home = dir.resolve("striate-" + VERSION);
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("sh", "dirname", "ls", "sed", "grep")) {
            Path found = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError("no " + tool + " in /usr/bin or /bin"));
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
    }

    @Test
    void zipAndTarHoldTheSameLayout() throws IOException {
        Set<String> zipped = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ARCHIVE + ".zip")) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
        }
        Set<String> unpacked = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir.resolve("striate-" + VERSION))) {
            files.filter(Files::isRegularFile).forEach(p -> unpacked.add(dir.relativize(p).toString()));
        }
        assertEquals(unpacked, zipped);
        String top = "striate-" + VERSION + "/";
        for (String expected : List.of("bin/striate", "bin/striate.bat", "lib/striate-cli-" + VERSION + ".jar",
                "lib/striate-compiler-" + VERSION + ".jar",
                "lib/striate-runtime-" + VERSION + ".jar", "lib/striate-grammar-" + VERSION + ".jar",
                "examples/sobel/sobel.cnn", "examples/sobel/sobel.weights.json",
                "examples/mnist/seed_cnn.weights.json", "README.md")) {
            assertTrue(zipped.contains(top + expected), expected + " missing from " + zipped);
        }
        assertTrue(zipped.stream().anyMatch(n -> n.startsWith(top + "lib/picocli-")), zipped.toString());
        assertTrue(zipped.stream().anyMatch(n -> n.startsWith(top + "lib/antlr4-runtime-")), zipped.toString());
        assertFalse(zipped.stream().anyMatch(n -> n.contains("junit")), "no test dependencies: " + zipped);
        // the root's licence files travel with it, whichever of them the checkout has
        try (Stream<Path> rootFiles = Files.list(ROOT)) {
            rootFiles.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("LICENSE") || n.startsWith("NOTICE") || n.startsWith("THIRD-PARTY"))
                    .forEach(n -> assertTrue(zipped.contains(top + n), n + " missing from " + zipped));
        }
        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/striate")).contains(PosixFilePermission.OWNER_EXECUTE));
        assertTrue(Files.readString(home.resolve("bin/striate.bat")).contains("\r\n"), "CRLF line ends for cmd.exe");
    }

    @Test
    void printsItsVersionWithJavaFromJavaHome() throws Exception {
        Run version = striate(Map.of("JAVA_HOME", JDK.toString()), "--version");
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.startsWith("striate " + VERSION + "\nJava " + System.getProperty("java.version") + " "),
                version.toString());
        assertEquals("", version.err);
    }

    @Test
    void findsJavaOnPathAndRunsThroughASymlink() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("my-bin"));
        Path link = elsewhere.resolve("striate");
        Files.createSymbolicLink(link, home.resolve("bin/striate"));
        Run version = run(List.of(link.toString(), "--version"), dir,
                Map.of("PATH", tools + ":" + JDK.resolve("bin")));
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.startsWith("striate " + VERSION + "\n"), version.toString());
    }

    @Test
    void compilesTheBundledSobelExample() throws Exception {
        Path out = dir.resolve("sobel-out");
        Run compile = striate(Map.of("JAVA_HOME", JDK.toString()), "compile", "examples/sobel/sobel.cnn", "-o",
                out.toString());
        assertEquals(0, compile.exit, compile.toString());
        assertEquals("wrote     " + out.resolve("Sobel.java") + "\nwrote     " + out.resolve("Sobel.weights")
                + "\ncompiled model Sobel: 2 written, 0 unchanged\n", compile.out);
        assertTrue(Files.readString(out.resolve("Sobel.java")).contains("public final class Sobel"));
        assertTrue(Files.size(out.resolve("Sobel.weights")) > 0);
    }

    @Test
    void runsTheDemoOnTheBundledExamples() throws Exception {
        Run demo = striate(Map.of("JAVA_HOME", JDK.toString()), "demo");
        assertEquals(0, demo.exit, demo.toString());
        assertTrue(demo.out.contains("  model      " + home.resolve("examples/sobel/sobel.cnn") + "\n"), demo.toString());
        assertTrue(demo.out.contains("matches a hand-written Sobel filter: max |difference| = 0.0\n"), demo.toString());
    }

    @Test
    void aMistakeIsAShortMessageAndExitCode() throws Exception {
        Run missing = striate(Map.of("JAVA_HOME", JDK.toString()), "compile", "examples/nowhere.cnn");
        assertEquals(1, missing.exit, missing.toString());
        assertTrue(missing.err.startsWith("examples/nowhere.cnn: error: "), missing.toString());
        assertFalse(missing.err.contains("Exception"), missing.toString());
    }

    @Test
    void onlyTrainGetsTheVectorModule() throws Exception {
        // the launcher passes no module; the CLI restarts train with it (VectorRelaunch), and the
        // child JVM's incubator warning shows it did
        Map<String, String> env = Map.of("JAVA_HOME", JDK.toString());
        Run train = striate(env, "train", "--help");
        assertEquals(0, train.exit, train.toString());
        assertTrue(train.err.contains("Using incubator modules: jdk.incubator.vector"), train.toString());
        for (String command : List.of("evaluate", "compile")) {
            Run help = striate(env, command, "--help");
            assertEquals(0, help.exit, help.toString());
            assertFalse(help.err.contains("incubator"), help.toString());
        }
        Map<String, String> scalar = Map.of("JAVA_HOME", JDK.toString(), "STRIATE_KERNEL", "scalar");
        Run plain = striate(scalar, "train", "--help");
        assertEquals(0, plain.exit, plain.toString());
        assertFalse(plain.err.contains("incubator"), plain.toString());
    }

    @Test
    void refusesJavaOlderThan17WithAClearMessage() throws Exception {
        for (String[] c : List.of(new String[] {"11.0.2", "11.0.2"}, new String[] {"1.8.0_392", "1.8.0_392"})) {
            Path fakeJdk = fakeJava(c[0]);
            Run old = striate(Map.of("JAVA_HOME", fakeJdk.toString()), "--version");
            assertEquals(2, old.exit, old.toString());
            assertEquals("striate: Java 17 or newer is needed, but " + fakeJdk.resolve("bin/java") + " is Java " + c[1]
                    + "; install a newer JDK and set JAVA_HOME to it\n", old.err);
            assertEquals("", old.out);
        }
        Run recent = striate(Map.of("JAVA_HOME", fakeJava("21-ea").toString()), "--version");
        assertEquals(0, recent.exit, recent.toString());
        assertTrue(recent.out.contains("dev.striate.cli.Main --version"), recent.toString());
    }

    @Test
    void saysWhatToDoWithoutJava() throws Exception {
        Run none = striate(Map.of(), "--version");
        assertEquals(2, none.exit, none.toString());
        assertEquals("striate: Java 17 or newer is needed (no java on PATH and JAVA_HOME is not set)\n", none.err);
        Path empty = Files.createDirectories(dir.resolve("not-a-jdk"));
        Run bad = striate(Map.of("JAVA_HOME", empty.toString()), "--version");
        assertEquals(2, bad.exit, bad.toString());
        assertTrue(bad.err.contains("has no bin/java"), bad.toString());
    }

    /** A JAVA_HOME whose java reports {@code version} to -version and otherwise prints its arguments. */
    private static Path fakeJava(String version) throws IOException {
        Path jdk = Files.createTempDirectory(dir, "fake-jdk");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"" + version + "\" 2019-01-15' >&2; exit 0; fi\n"
                + "echo \"$@\"\n");
        java.toFile().setExecutable(true);
        return jdk;
    }

    private static Run striate(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/striate").toString()));
        Collections.addAll(command, args);
        Map<String, String> full = new java.util.HashMap<>(env);
        full.put("PATH", tools.toString());
        return run(command, home, full);
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code command} in {@code cwd} with exactly the environment {@code env}. */
    private static Run run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path errFile = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new Run(p.exitValue(), out, Files.readString(errFile));
    }
}
