package dev.striate.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleFilesTest {
    private static final Path REPO_EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @Test
    void foundAboveTheClassesDirectory() {
        // Tests run from cli/target/classes, as the jar runs from cli/target.
        assertEquals(REPO_EXAMPLES, ExampleFiles.locate(null));
    }

    @Test
    void explicitDirectoryWins(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("sobel"));
        Files.writeString(tmp.resolve("sobel/sobel.cnn"), "model Sobel {}");
        assertEquals(tmp, ExampleFiles.locate(tmp));
    }

    @Test
    void explicitDirectoryWithoutTheExampleIsAUserError(@TempDir Path tmp) {
        CompileException e = assertThrows(CompileException.class, () -> ExampleFiles.locate(tmp));
        assertTrue(e.getMessage().contains("holds no sobel/sobel.cnn"), e.getMessage());
    }

    @Test
    void bundledExamplesExist() {
        for (String f : new String[] {"sobel/sobel.cnn", "sobel/sobel.weights.json", "mnist/seed_cnn.cnn",
                "mnist/lenet5.cnn", "resnet/tiny_resnet.cnn"}) {
            assertTrue(Files.isRegularFile(REPO_EXAMPLES.resolve(f)), f);
        }
    }
}
