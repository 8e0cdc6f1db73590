package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option parsing of every subcommand, without running anything. */
class CommandParsingTest {

    @Test
    void compileMapsEveryOptionToTheRequest() {
        CompileCommand c = CommandLine.populateCommand(new CompileCommand(), "nets/digits.cnn",
                "--model", "SeedCnn", "--weights", "w/trained.weights.json", "--package", "com.acme",
                "--class", "Digits", "--out", "gen/java", "--resources", "gen/res", "--single-file", "--no-optimize");
        CompileRequest r = c.request();
        assertEquals(Path.of("nets/digits.cnn"), r.source());
        assertEquals("SeedCnn", r.modelName());
        assertEquals(Path.of("w/trained.weights.json"), r.weightsPath());
        assertEquals("com.acme", r.packageName());
        assertEquals("Digits", r.className());
        assertTrue(r.singleFile());
        assertEquals(Path.of("gen/java"), r.sourceOutput());
        assertEquals(Path.of("gen/res"), r.resourceOutput());
        assertFalse(r.optimize());
    }

    @Test
    void compileShortOptions() {
        CompileRequest r = CommandLine.populateCommand(new CompileCommand(), "m.cnn",
                "-w", "x.weights.json", "-p", "a.b", "-c", "C", "-o", "out").request();
        assertEquals(Path.of("x.weights.json"), r.weightsPath());
        assertEquals("a.b", r.packageName());
        assertEquals("C", r.className());
        assertEquals(Path.of("out"), r.sourceOutput());
    }

    @Test
    void compileDefaults() {
        CompileRequest r = CommandLine.populateCommand(new CompileCommand(), "nets/digits.cnn").request();
        assertNull(r.modelName());
        assertEquals(Path.of("nets/digits.weights.json"), r.weightsPath());
        assertEquals("", r.packageName());
        assertNull(r.className());
        assertFalse(r.singleFile());
        assertEquals(Path.of("."), r.sourceOutput());
        assertEquals(Path.of("."), r.resourceOutput(), "resources default to --out");
        assertTrue(r.optimize(), "optimized by default");
    }

    @Test
    void resourcesFollowOutByDefault() {
        CompileRequest r = CommandLine.populateCommand(new CompileCommand(), "m.cnn", "--out", "gen").request();
        assertEquals(Path.of("gen"), r.resourceOutput());
    }

    @Test
    void compileNeedsAModelFile() {
        assertThrows(CommandLine.MissingParameterException.class,
                () -> CommandLine.populateCommand(new CompileCommand(), "--package", "a"));
    }

    @Test
    void summaryTakesModelAndName() {
        SummaryCommand s = CommandLine.populateCommand(new SummaryCommand(), "zoo.cnn", "--model", "TinyResNet");
        assertEquals(Path.of("zoo.cnn"), s.model.source());
        assertEquals("TinyResNet", s.model.modelName());
    }

    @Test
    void summaryHasNoWeightsOption() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> CommandLine.populateCommand(new SummaryCommand(), "m.cnn", "--weights", "w.json"));
    }

    @Test
    void checkWeightsDefaultBesideTheModel() {
        CheckCommand c = CommandLine.populateCommand(new CheckCommand(), "dir/m.cnn");
        assertEquals(Path.of("dir/m.weights.json"), c.weights.resolve(c.model.source()));
        CheckCommand explicit = CommandLine.populateCommand(new CheckCommand(), "dir/m.cnn", "--weights", "o.json");
        assertEquals(Path.of("o.json"), explicit.weights.resolve(explicit.model.source()));
    }

    @Test
    void initDefaults() {
        InitCommand i = CommandLine.populateCommand(new InitCommand(), "dir/m.cnn");
        assertEquals(42L, i.seed);
        assertFalse(i.force);
        assertEquals(Path.of("dir/m.weights.json"), i.manifest());
    }

    @Test
    void initOptions() {
        InitCommand i = CommandLine.populateCommand(new InitCommand(), "m.cnn", "--seed", "7",
                "--out", "w/seeded.weights.json", "--force", "--model", "Net");
        assertEquals(7L, i.seed);
        assertTrue(i.force);
        assertEquals("Net", i.model.modelName());
        assertEquals(Path.of("w/seeded.weights.json"), i.manifest());
    }

    @Test
    void initRejectsANonNumericSeed() {
        assertThrows(CommandLine.ParameterException.class,
                () -> CommandLine.populateCommand(new InitCommand(), "m.cnn", "--seed", "lots"));
    }

    @Test
    void demoOptions() {
        DemoCommand d = CommandLine.populateCommand(new DemoCommand(), "--out", "/tmp/d", "--examples", "ex");
        assertEquals(Path.of("/tmp/d"), d.out);
        assertEquals(Path.of("ex"), d.examples);
        DemoCommand defaults = CommandLine.populateCommand(new DemoCommand());
        assertNull(defaults.out);
        assertNull(defaults.examples);
    }

    @Test
    void demoTakesNoPositionalArguments() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> CommandLine.populateCommand(new DemoCommand(), "model.cnn"));
    }
}
