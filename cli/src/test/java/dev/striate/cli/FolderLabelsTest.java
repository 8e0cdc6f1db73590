package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image folders are matched to the model's labels by name: a model declaring its labels in
 * another order than the folders' learns and reports each class under its own label; an
 * evaluation folder may hold some of the classes; unknown and missing folders are E510; without
 * declared labels the folder names are recorded in the weights and compiled into the class.
 */
class FolderLabelsTest {
    @TempDir
    static Path dir;
    static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        images = dir.resolve("images");
        BarImages.write(images);
    }

    private static Path model(String name, String labels) throws IOException {
        return BarImages.modelFile(dir, name, true, labels, null);
    }

    private static int correct(Cli.Run eval, int of) {
        Matcher m = Pattern.compile("\\((\\d+)/" + of + "\\)").matcher(eval.out());
        assertTrue(m.find(), eval.toString());
        return Integer.parseInt(m.group(1));
    }

    /** The label the compiled class gives a vertical bar, and the labels it lists. */
    private static List<String> compiledLabels(Path model, Path weights, String tag) throws Exception {
        Path gen = dir.resolve(tag + "/gen");
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", weights.toString(), "--out",
                gen.toString(), "--single-file");
        assertEquals(0, compile.exitCode(), compile.toString());
        Class<?> c = BarImages.load(gen, "Bars", dir.resolve(tag + "/classes"));
        Object m = c.getMethod("load").invoke(null);
        float[] pixels = BarImages.pixels(BarImages.bar(true, 3, new Random(5)));
        int best = (int) c.getMethod("classify", float[].class).invoke(m, (Object) pixels);
        String[] labels = (String[]) c.getMethod("labels").invoke(m);
        return List.of(labels[best], String.join(",", labels));
    }

    /** Weights trained (once) for the model declaring {@code ["vertical", "horizontal"]}. */
    private static synchronized Path reversedWeights() throws IOException {
        Path out = dir.resolve("rev/w.weights.json");
        if (!Files.exists(out)) {
            Cli.Run run = BarImages.train(model("reversed", "[\"vertical\", \"horizontal\"]"), images, out);
            assertEquals(0, run.exitCode(), run.toString());
        }
        return out;
    }

    @Test
    void declaredLabelsInAnotherOrderThanTheFoldersAreMatchedByName() throws Exception {
        Path out = reversedWeights();
        Path model = dir.resolve("reversed.cnn");
        assertEquals(List.of("vertical", "horizontal"), WeightsFile.read(out).labels());
        assertEquals(List.of("vertical", "vertical,horizontal"), compiledLabels(model, out, "rev"),
                "a vertical bar is reported as vertical");

        // an evaluation folder holding only one of the classes, matched by name
        Path onlyVertical = Files.createDirectories(dir.resolve("onlyVertical"));
        copyTree(images.resolve("test/vertical"), onlyVertical.resolve("vertical"));
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--weights", out.toString(), "--data",
                onlyVertical.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(correct(eval, 16) >= 14, "vertical bars found as vertical: " + eval.out());
    }

    @Test
    void unknownAndMissingFoldersAreRefusedWithBothLists() throws IOException {
        Path model = model("wrong", "[\"Vertical\", \"diagonal\"]");
        Cli.Run run = BarImages.train(model, images, dir.resolve("wrong/w.weights.json"));
        assertEquals(1, run.exitCode(), run.toString());
        String err = run.err();
        assertTrue(err.startsWith(images.resolve("train") + ":"), err);
        assertTrue(err.contains("[E510]"), err);
        assertTrue(err.contains("no label names the folders [\"horizontal\", \"vertical\"]"), err);
        assertTrue(err.contains("no folder for [\"Vertical\", \"diagonal\"]"), err);
        assertTrue(err.contains("\"vertical\" differs from the label \"Vertical\" in case"), err);
        assertTrue(!err.contains("Exception"), err);

        Cli.Run eval = Cli.run("evaluate", model.toString(), "--data", images.resolve("test").toString(),
                "--weights", reversedWeights().toString());
        assertEquals(1, eval.exitCode(), eval.toString());
        assertTrue(eval.err().contains("[E409]"), "the weights record other labels: " + eval.err());
    }

    @Test
    void withoutDeclaredLabelsTheFolderNamesAreRecordedAndCompiled() throws Exception {
        Path model = model("plain", null);
        Path out = dir.resolve("plain/w.weights.json");
        Cli.Run run = BarImages.train(model, images, out);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("horizontal", "vertical"), WeightsFile.read(out).labels());
        assertEquals(List.of("vertical", "horizontal,vertical"), compiledLabels(model, out, "plain"));

        // a folder of one class is matched to the recorded labels, not taken as class 0
        Path onlyVertical = Files.createDirectories(dir.resolve("plainVertical"));
        copyTree(images.resolve("test/vertical"), onlyVertical.resolve("vertical"));
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--weights", out.toString(), "--data",
                onlyVertical.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(correct(eval, 16) >= 14, eval.out());

        // the model now declares labels in another order than the weights were trained with
        Path declared = model("plainDeclared", "[\"vertical\", \"horizontal\"]");
        Cli.Run compile = Cli.run("compile", declared.toString(), "--weights", out.toString(), "--out",
                dir.resolve("plainDeclared/gen").toString());
        assertEquals(1, compile.exitCode(), compile.toString());
        assertTrue(compile.err().contains("[E409]") && compile.err().contains("the weights were trained with the labels"
                + " [\"horizontal\", \"vertical\"] but the model declares [\"vertical\", \"horizontal\"]"), compile.err());
    }

    @Test
    void withoutLabelsAFolderCountThatDiffersFromTheOutputsIsRefused() throws IOException {
        Path model = model("count", null);
        Path three = dir.resolve("three");
        for (String c : new String[] {"a", "b", "c"}) {
            copyTree(images.resolve("test/vertical"), three.resolve(c));
        }
        Cli.Run run = BarImages.train(model, three, dir.resolve("count/w.weights.json"));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("3 class folders [\"a\", \"b\", \"c\"] for a model with 2 outputs")
                && run.err().contains("[E510]"), run.err());

        Path one = dir.resolve("one");
        copyTree(images.resolve("test/vertical"), one.resolve("vertical"));
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--data", one.toString(), "--weights",
                reversedWeights().toString());
        // weights trained with declared labels record them, so this model without labels matches by name
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(correct(eval, 16) >= 14, eval.out());
    }

    @Test
    void folderNamesThatAreNotPrintableTextAreRefused() throws IOException {
        Path model = model("hostile", null);
        Path data = dir.resolve("hostile");
        copyTree(images.resolve("test/vertical"), data.resolve("ok"));
        copyTree(images.resolve("test/horizontal"), data.resolve("bad\nname"));
        Cli.Run run = BarImages.train(model, data, dir.resolve("hostile/w.weights.json"));
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[E510]") && run.err().contains("\\u000a"), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line, the newline shown escaped: " + run.err());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }
}
