package dev.striate.cli.demo;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the bundled {@code examples/} directory of a Striate checkout: given explicitly, from
 * the {@code striate.home} system property (set by the {@code ./striate} launcher), above the
 * jar or classes directory the CLI runs from, or under the working directory.
 */
public final class ExampleFiles {
    /** The file whose presence marks an examples directory. */
    static final String MARKER = "sobel/sobel.cnn";

    private ExampleFiles() {
    }

    /**
     * The examples directory.
     *
     * @param explicit a directory the user named, or null to search
     * @throws CompileException when no examples directory can be found
     */
    public static Path locate(Path explicit) {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            String home = System.getProperty("striate.home");
            if (home != null && !home.isBlank()) {
                candidates.add(Path.of(home, "examples"));
            }
            Path code = codeLocation();
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve("examples"));
            }
            candidates.add(Path.of("examples").toAbsolutePath());
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(MARKER))) {
                return c.normalize();
            }
        }
        throw new CompileException(Diagnostic.error(ErrorCode.IO, SourcePos.NONE,
                explicit != null ? explicit + " holds no " + MARKER
                        : "cannot find the bundled examples (examples/" + MARKER
                                + "); run from a Striate checkout or pass --examples DIR"));
    }

    /** The jar or classes directory this class was loaded from, or null when unknown. */
    private static Path codeLocation() {
        CodeSource cs = ExampleFiles.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(cs.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
