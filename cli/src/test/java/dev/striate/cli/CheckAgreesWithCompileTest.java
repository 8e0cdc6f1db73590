package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check} takes the options of {@code compile} that can make it fail, and with the same
 * options it says ok exactly when {@code compile} succeeds; the resource ceilings apply to every
 * command that loads a model.
 */
class CheckAgreesWithCompileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void models() throws IOException {
        Files.writeString(dir.resolve("tiny.cnn"), """
                model Tiny {
                    input x: [1, 4, 4]
                    conv2d(2, kernel=3, padding=same, activation=relu)
                    flatten
                    dense(3, activation=softmax)
                }
                """);
        assertEquals(0, Cli.run("init", dir.resolve("tiny.cnn").toString()).exitCode());
        Files.writeString(dir.resolve("keyword.cnn"), """
                model class {
                    input x: [4]
                    dense(2)
                }
                """);
        // A model named class is refused where its name is written (E209), by every command: even init.
        Cli.Run keywordInit = Cli.run("init", dir.resolve("keyword.cnn").toString());
        assertEquals(1, keywordInit.exitCode(), keywordInit.toString());
        assertTrue(keywordInit.err().contains("keyword.cnn:1:7: error: model name 'class'"), keywordInit.err());
        // 2048 * 2048 + 2048 = 4,196,352 parameters: over the single-file cap of 4,194,304; no weights needed.
        Files.writeString(dir.resolve("big.cnn"), """
                model Big {
                    input x: [2048]
                    dense(2048)
                }
                """);
    }

    private List<String> options(String model, String... extra) {
        List<String> args = new ArrayList<>(List.of(dir.resolve(model).toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny.cnn", "tiny.cnn --single-file", "tiny.cnn --no-optimize", "tiny.cnn -c Good",
            "tiny.cnn -c 9bad", "tiny.cnn -p com.acme", "tiny.cnn -p com..acme", "tiny.cnn --max-params 10",
            "tiny.cnn --max-activation-floats 31", "tiny.cnn --max-activation-floats 32", "keyword.cnn",
            "keyword.cnn -c Renamed", "big.cnn --single-file", "big.cnn --single-file --max-params 100"})
    void checkSaysOkExactlyWhenCompileSucceeds(String line) throws IOException {
        String[] words = line.split(" ");
        String[] extra = java.util.Arrays.copyOfRange(words, 1, words.length);
        List<String> check = new ArrayList<>(List.of("check"));
        check.addAll(options(words[0], extra));
        List<String> compile = new ArrayList<>(List.of("compile"));
        compile.addAll(options(words[0], extra));
        Path out = Files.createTempDirectory(dir, "out");
        compile.addAll(List.of("-o", out.toString()));

        Cli.Run checked = Cli.run(check.toArray(String[]::new));
        Cli.Run compiled = Cli.run(compile.toArray(String[]::new));

        assertTrue(checked.exitCode() <= 1 && compiled.exitCode() <= 1, checked + "\n" + compiled);
        assertEquals(compiled.exitCode(), checked.exitCode(), "check:\n" + checked + "\ncompile:\n" + compiled);
        if (checked.exitCode() == 0) {
            assertTrue(checked.out().startsWith("ok: "), checked.toString());
            try (var files = Files.list(out)) {
                assertTrue(files.findAny().isPresent(), "compile wrote nothing: " + compiled);
            }
        } else {
            assertEquals(compiled.err().replace("striate compile --help", "striate check --help"), checked.err(),
                    "the same diagnostics");
            assertFalse(checked.err().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void theExpectedCasesSucceedAndFail() {
        assertEquals(0, Cli.run("check", dir.resolve("tiny.cnn").toString()).exitCode());
        Cli.Run keyword = Cli.run("check", dir.resolve("keyword.cnn").toString());
        assertEquals(1, keyword.exitCode(), "a model named class cannot become a class: " + keyword);
        Cli.Run big = Cli.run("check", dir.resolve("big.cnn").toString(), "--single-file");
        assertEquals(1, big.exitCode());
        assertTrue(big.err().startsWith(dir.resolve("big.cnn") + ":3:"), big.err());
        assertTrue(big.err().contains("[E508]") && big.err().contains("drop --single-file"), big.err());
        assertFalse(Files.exists(dir.resolve("big.weights.json")), "refused before any weights were needed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"check", "compile", "summary", "init", "train", "evaluate"})
    void everyCommandThatLoadsAModelEnforcesTheCeilings(String command) {
        List<String> args = new ArrayList<>(List.of(command, dir.resolve("tiny.cnn").toString(), "--max-params", "10"));
        if (command.equals("train") || command.equals("evaluate")) {
            args.addAll(List.of("--data", dir.resolve("no-data").toString()));
        }
        if (command.equals("init") || command.equals("train")) {
            args.addAll(List.of("--out", dir.resolve("other.weights.json").toString()));
        }
        if (command.equals("compile")) {
            args.addAll(List.of("-o", dir.resolve("out").toString()));
        }
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(dir.resolve("tiny.cnn") + ":3:5: error: model Tiny passes the limit of 10 parameters at layer "
                + "conv2d_1 (20 so far); raise it with --max-params and the JVM's -Xmx [E505]\n",
                run.err());

        args.set(2, "--max-activation-floats");
        args.set(3, "20");
        Cli.Run wide = Cli.run(args.toArray(String[]::new));
        assertEquals(1, wide.exitCode(), wide.toString());
        assertTrue(wide.err().contains(":3:5: error: layer conv2d_1 outputs [2, 4, 4] = 32 floats, over the limit of "
                + "20 floats per value; raise it with --max-activation-floats"), wide.err());
    }

    @Test
    void aCeilingMustBePositive() {
        Cli.Run run = Cli.run("check", dir.resolve("tiny.cnn").toString(), "--max-weights-bytes", "0");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: --max-weights-bytes must be at least 1, got 0"), run.err());
    }
}
