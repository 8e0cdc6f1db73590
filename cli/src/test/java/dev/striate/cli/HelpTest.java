package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code --help} and {@code --version} of every command. */
class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"compile", "import", "summary", "check", "init", "demo", "data", "train", "evaluate", "predict", "export"})
    void everyCommandHasHelpWithADescriptionAndExamples(String command) {
        Cli.Run run = Cli.run(command, "--help");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: striate " + command), run.out());
        assertTrue(run.out().contains("Examples:\n  striate " + command), run.out());
        String description = run.out().lines().skip(1).dropWhile(l -> l.startsWith(" ")).findFirst().orElse("");
        assertTrue(description.length() > 20, "description line: " + description);
        assertEquals("", run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"compile", "import", "summary", "check", "init", "demo", "data", "train", "evaluate", "predict", "export"})
    void helpIsAlsoReachableThroughShortOption(String command) {
        Cli.Run run = Cli.run(command, "-h");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("Usage: striate " + command));
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        Cli.Run run = Cli.run("--help");
        assertEquals(0, run.exitCode());
        for (String c : new String[] {"compile", "import", "summary", "check", "init", "demo", "data", "train", "evaluate", "predict", "export"}) {
            assertTrue(run.out().contains("\n  " + c + " "), c + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("Exit codes:"));
        assertTrue(run.out().contains("1   user error"));
        assertTrue(run.out().contains("2   internal error"));
    }

    @Test
    void version() {
        Cli.Run run = Cli.run("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("striate "), run.out());
        assertTrue(run.out().contains("Java " + System.getProperty("java.version")), run.out());
    }

    @Test
    void helpLinesFitAnEightyColumnTerminal() {
        for (String c : new String[] {"", "compile", "import", "summary", "check", "init", "demo", "data", "train", "evaluate", "predict", "export"}) {
            Cli.Run run = c.isEmpty() ? Cli.run("--help") : Cli.run(c, "--help");
            run.out().lines().forEach(l -> assertTrue(l.length() <= 80, c + ": " + l));
        }
    }

    /**
     * The bundled examples ship trained weights beside the models, and init and train refuse to
     * replace an existing weights file without --force: an example that writes beside a bundled
     * model must say --out (or --force), or a stranger copying it gets E503.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "init", "train"})
    void examplesOnTheBundledModelsDoNotRunIntoTheCommittedWeights(String command) {
        Cli.Run run = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");
        String examples = run.out().substring(run.out().indexOf("Examples:")).replace("\\\n", " ");
        examples.lines().map(String::strip)
                .filter(l -> l.startsWith("striate init examples/") || l.startsWith("striate train examples/"))
                .forEach(l -> assertTrue(l.matches(".* (--out|-o|--force)( .*|$)"),
                        (command.isEmpty() ? "striate" : command) + " --help: '" + l
                                + "' would meet the committed weights beside the model (E503)"));
    }
}
