package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training never changes what the model means: the loss must fit the final activation (E110), and
 * the activations the trainer could not differentiate before (leaky_relu and elu with a negative
 * alpha) now train.
 */
class TrainingMeaningTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        SyntheticIdx.write(data, 320, 64);
    }

    private static Path model(String name, String from, String to, String loss) throws IOException {
        Path file = dir.resolve(name + ".cnn");
        String source = SyntheticIdx.MODEL.replace(from, to).replace("loss = crossentropy", "loss = " + loss);
        Files.writeString(file, source);
        return file;
    }

    private static Cli.Run train(Path model, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model.toString(), "--data", data.toString(),
                "--progress", "summary", "--threads", "1", "--no-checkpoint", "--force",
                "--out", dir.resolve(model.getFileName() + ".weights.json").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void sigmoidWithCrossentropyIsRefusedAtTheLossSetting() throws IOException {
        Path m = model("sig", "dense(2, activation=softmax)", "dense(2, activation=sigmoid)", "crossentropy");
        Cli.Run run = train(m);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(m + ":12:12: error: loss crossentropy does not fit the model's final sigmoid "
                + "(layer dense_1): crossentropy trains a softmax over the values before the sigmoid"), run.err());
        assertTrue(run.err().contains("write activation=softmax") && run.err().endsWith("[E110]\n"), run.err());
        assertEquals("", run.out());

        Cli.Run fixed = train(m, "--loss", "binary_crossentropy", "--epochs", "1");
        assertEquals(0, fixed.exitCode(), fixed.toString());
    }

    @Test
    void softmaxWithBinaryCrossentropyIsRefusedAlsoWhenTheCommandLineSetsIt() throws IOException {
        Path m = model("soft", "dense(2, activation=softmax)", "dense(2, activation=softmax)", "crossentropy");
        Cli.Run run = train(m, "--loss", "bce");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(m + ":7:5: error: loss binary_crossentropy does not fit the model's final "
                + "softmax (layer dense_1)"), "at the final layer when the loss comes from the command line: "
                + run.err());
        Cli.Run evaluate = Cli.run("evaluate", model("soft2", "x", "x", "bce").toString(), "--data", data.toString());
        assertEquals(1, evaluate.exitCode(), evaluate.toString());
        assertTrue(evaluate.err().contains("[E110]"), evaluate.err());
    }

    @Test
    void logitsWithCrossentropyTrain() throws IOException {
        Path m = model("logits", "dense(2, activation=softmax)", "dense(2)", "crossentropy");
        Cli.Run run = train(m, "--epochs", "2");
        assertEquals(0, run.exitCode(), run.toString());
        String testLine = run.out().lines().filter(l -> l.startsWith("test accuracy ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(testLine.substring("test accuracy ".length(), testLine.indexOf('%')));
        assertTrue(accuracy >= 90, testLine);
    }

    @Test
    void negativeAlphaActivationsTrain() throws IOException {
        Path m = model("negative", "conv2d(4, kernel=3, padding=1, activation=relu)",
                "conv2d(4, kernel=3, padding=1, activation=leaky_relu(-0.5))\n    elu(-0.5)", "crossentropy");
        Path log = dir.resolve("negative.csv");
        Cli.Run run = train(m, "--log", log.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(log);
        double first = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(lines.size() - 1).split(",")[2]);
        assertTrue(last < first * 0.5, "loss should fall: " + lines);
        Cli.Run eval = Cli.run("evaluate", m.toString(), "--weights", dir.resolve("negative.cnn.weights.json").toString(),
                "--data", data.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
    }
}
