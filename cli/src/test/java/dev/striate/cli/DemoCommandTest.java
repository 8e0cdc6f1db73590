package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code striate demo} from the command line. */
class DemoCommandTest {

    @Test
    void demoRunsFromTheCheckout(@TempDir Path tmp) {
        Cli.Run run = Cli.run("demo", "--out", tmp.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Striate demo: a Sobel edge detector compiled to plain Java\n"), run.out());
        assertTrue(run.out().contains("max |difference| = 0"), run.out());
    }

    @Test
    void demoWithAnEmptyExamplesDirectoryIsAUserError(@TempDir Path tmp) {
        Cli.Run run = Cli.run("demo", "--examples", tmp.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("holds no sobel/sobel.cnn [E503]"), run.err());
    }
}
