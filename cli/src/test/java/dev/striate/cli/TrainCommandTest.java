package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.train.TrainingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate train} and {@code striate evaluate} end to end on a tiny synthetic IDX data set:
 * the loss falls, the weights are written, evaluated and compiled; a resumed run gives the same
 * weights as an uninterrupted one; mistakes are user errors.
 */
class TrainCommandTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("data");
        SyntheticIdx.write(data, 320, 96);
        model = dir.resolve("bars.cnn");
        Files.writeString(model, SyntheticIdx.MODEL);
    }

    private static Cli.Run train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", model.toString(), "--data", data.toString(),
                "--progress", "summary", "--threads", "1"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void trainsEvaluatesAndCompiles() throws IOException {
        Path out = dir.resolve("t1/bars.weights.json");
        Path log = dir.resolve("t1/log.csv");
        Cli.Run run = train("--out", out.toString(), "--log", log.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("training Bars on IDX files in " + data + " (320 images): "
                + "sgd(lr=0.05, momentum=0.9), batch 16, 3 epochs, crossentropy, seed 7\n"), run.out());
        assertTrue(run.out().contains("wrote " + out + "\n"), run.out());
        assertTrue(Files.isRegularFile(out));
        assertTrue(Files.isDirectory(dir.resolve("t1/bars.checkpoint")), "default checkpoint folder beside the weights");

        List<String> lines = Files.readAllLines(log);
        assertEquals(TrainingLog.HEADER, lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        double first = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(3).split(",")[2]);
        assertTrue(last < first * 0.5 && last < 0.2, "loss should fall: " + lines);

        String testLine = run.out().lines().filter(l -> l.startsWith("test accuracy ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(testLine.substring("test accuracy ".length(), testLine.indexOf('%')));
        assertTrue(accuracy >= 95, testLine);

        Cli.Run eval = Cli.run("evaluate", model.toString(), "--weights", out.toString(), "--data", data.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("accuracy " + testLine.substring("test accuracy ".length())), eval.out());
        assertTrue(eval.out().contains("horizontal") || eval.out().contains("0"), eval.out());

        Path gen = dir.resolve("t1/gen");
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", out.toString(), "--out", gen.toString());
        assertEquals(0, compile.exitCode(), compile.toString());
        assertTrue(Files.isRegularFile(gen.resolve("Bars.java")), compile.toString());
    }

    @Test
    void resumingGivesTheSameWeightsAsAnUninterruptedRun() throws IOException {
        Path full = dir.resolve("r/full.weights.json");
        assertEquals(0, train("--out", full.toString(), "--epochs", "2", "--no-test").exitCode());
        Path part = dir.resolve("r/part.weights.json");
        Path ckpt = dir.resolve("r/ckpt");
        Cli.Run first = train("--out", part.toString(), "--epochs", "1", "--checkpoint-dir", ckpt.toString(), "--no-test");
        assertEquals(0, first.exitCode(), first.toString());
        Cli.Run resumed = train("--out", part.toString(), "--epochs", "2", "--checkpoint-dir", ckpt.toString(),
                "--resume", "--no-test");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertArrayEquals(Files.readAllBytes(blob(full)), Files.readAllBytes(blob(part)));

        Cli.Run other = train("--out", part.toString(), "--epochs", "2", "--checkpoint-dir", ckpt.toString(),
                "--resume", "--batch", "32", "--no-test");
        assertEquals(1, other.exitCode(), other.toString());
        assertTrue(other.err().contains("another configuration") && other.err().contains("batch"), other.err());
    }

    private static Path blob(Path manifest) throws IOException {
        try (var files = Files.list(manifest.getParent())) {
            String stem = manifest.getFileName().toString().replace(".json", "");
            return files.filter(p -> p.getFileName().toString().startsWith(stem) && !p.toString().endsWith(".json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no blob beside " + manifest));
        }
    }

    @Test
    void refusesToReplaceWeightsWithoutForce() throws IOException {
        Path out = dir.resolve("f/bars.weights.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{}");
        Cli.Run run = train("--out", out.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(out + ": error: already exists; pass --force to replace it (or --out to write elsewhere) [E503]\n",
                run.err());
        assertEquals("{}", Files.readString(out));
    }

    /**
     * The README's journey trains {@code examples/mnist/seed_cnn.cnn} without {@code --out}: the
     * weights beside the model (committed, for the examples) are replaced only with --force, and
     * what the run leaves beside them is ignored by git.
     */
    @Test
    void weightsBesideTheModelAreReplacedOnlyWithForce() throws IOException {
        Path d = Files.createDirectories(dir.resolve("beside"));
        Path m = Files.writeString(d.resolve("bars.cnn"), SyntheticIdx.MODEL);
        Path weights = Files.writeString(d.resolve("bars.weights.json"), "{\"committed\": true}");
        List<String> args = List.of("train", m.toString(), "--data", data.toString(), "--progress", "summary",
                "--threads", "1", "--epochs", "1", "--no-test");

        Cli.Run refused = Cli.run(args.toArray(String[]::new));
        assertEquals(1, refused.exitCode(), refused.toString());
        assertEquals(weights + ": error: already exists; pass --force to replace it (or --out to write elsewhere) [E503]\n",
                refused.err());
        assertEquals("", refused.out());
        assertEquals("{\"committed\": true}", Files.readString(weights));
        assertEquals(Set.of("bars.cnn", "bars.weights.json"), names(d), "nothing written, not even a checkpoint");

        List<String> forced = new java.util.ArrayList<>(args);
        forced.add("--force");
        Cli.Run run = Cli.run(forced.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("wrote " + weights + "\n"), run.out());
        assertTrue(Files.readString(weights).contains("\"tensors\""), "replaced by trained weights");

        Set<String> leftBehind = new java.util.TreeSet<>(names(d));
        leftBehind.removeAll(Set.of("bars.cnn", "bars.weights.json", "bars.weights.bin"));
        assertEquals(Set.of("bars.checkpoint"), leftBehind);
        assertTrue(Files.isDirectory(d.resolve("bars.checkpoint")));
        List<String> gitignore = Files.readAllLines(Cli.EXAMPLES.resolveSibling(".gitignore"));
        for (String name : leftBehind) {
            assertTrue(ignored(gitignore, name, Files.isDirectory(d.resolve(name))), name + " is not in .gitignore");
        }
        assertTrue(ignored(gitignore, ".bars.weights.json.123.456.tmp", false), "AtomicFiles' temporary file");
        assertFalse(ignored(gitignore, "bars.weights.json", false), "the weights themselves are committed");
        assertFalse(ignored(gitignore, "bars.weights.bin", false), "the weights themselves are committed");
    }

    private static Set<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    /**
     * Whether a .gitignore's unanchored patterns (no slash but a trailing one; what this repository
     * uses for generated files) ignore a file or folder of this name, in any folder.
     */
    private static boolean ignored(List<String> gitignore, String name, boolean folder) {
        boolean ignored = false;
        for (String line : gitignore) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean negated = pattern.startsWith("!");
            if (negated) {
                pattern = pattern.substring(1);
            }
            boolean foldersOnly = pattern.endsWith("/");
            if (foldersOnly) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            if (pattern.contains("/") || (foldersOnly && !folder)) {
                continue;
            }
            if (java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(name))) {
                ignored = !negated;
            }
        }
        return ignored;
    }

    @Test
    void userErrorsAreShortMessages() {
        Cli.Run badFlag = train("--out", dir.resolve("e/w.json").toString(), "--epochs", "0");
        assertEquals(1, badFlag.exitCode(), badFlag.toString());
        assertTrue(badFlag.err().startsWith("error: --epochs must be at least 1, got 0\n"), badFlag.err());

        Cli.Run noData = Cli.run("train", model.toString(), "--out", dir.resolve("e/w.json").toString(),
                "--data", dir.resolve("nowhere").toString());
        assertEquals(1, noData.exitCode(), noData.toString());
        assertTrue(noData.err().contains("nowhere: error: not a folder"), noData.err());

        Cli.Run noCheckpoint = train("--out", dir.resolve("e/w.json").toString(), "--resume", "--no-checkpoint");
        assertEquals(1, noCheckpoint.exitCode());
        Cli.Run nothingToResume = train("--out", dir.resolve("e/w.json").toString(), "--resume",
                "--checkpoint-dir", dir.resolve("e/none").toString());
        assertEquals(1, nothingToResume.exitCode(), nothingToResume.toString());
        assertTrue(nothingToResume.err().contains("cannot resume: no checkpoint"), nothingToResume.err());
        assertFalse(nothingToResume.err().contains("Exception"), nothingToResume.err());
    }

    @Test
    void trainBlockErrorsAreDiagnostics() throws IOException {
        Path bad = dir.resolve("bad.cnn");
        Files.writeString(bad, SyntheticIdx.MODEL.replace("batch = 16", "batch = -1").replace("epochs = 3", "epoch = 3"));
        Cli.Run run = Cli.run("train", bad.toString(), "--data", data.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(bad + ":14:13: error: batch must be at least 1, got -1 [E106]\n"
                + bad + ":15:5: error: unknown train setting 'epoch'; did you mean 'epochs'? (settings: loss, optimizer, "
                + "batch, epochs, schedule, warmup, l1, l2, seed, validation, augment, normalize, init, kernel_l2, target, noise) [E102]\n"
                + "2 errors\n", run.err());
    }

    @Test
    void otherLossesAndFlagsOverrideTheBlock() {
        Path out = dir.resolve("m/w.weights.json");
        Cli.Run run = train("--out", out.toString(), "--loss", "mse", "--optimizer", "adam", "--lr", "0.01",
                "--batch", "32", "--epochs", "2", "--seed", "3", "--validation", "0.25", "--no-checkpoint");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("(320 images): adam(lr=0.01), batch 32, 2 epochs, mse, validation 0.25, seed 3\n"),
                run.out());
        assertTrue(run.err().contains("val"), "validation metrics are reported: " + run.err());
        assertFalse(Files.exists(dir.resolve("m/w.checkpoint")));
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void imageFolders() throws IOException {
        Path images = dir.resolve("images");
        java.util.Random r = new java.util.Random(1);
        for (String split : new String[] {"train", "test"}) {
            for (int label = 0; label < 2; label++) {
                Path classDir = Files.createDirectories(images.resolve(split).resolve(label == 0 ? "horizontal" : "vertical"));
                for (int i = 0; i < (split.equals("train") ? 48 : 16); i++) {
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8,
                            java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                    int at = r.nextInt(8);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            boolean on = label == 1 ? x == at : y == at;
                            img.getRaster().setSample(x, y, 0, on ? 220 : 20 + r.nextInt(30));
                        }
                    }
                    javax.imageio.ImageIO.write(img, "png", classDir.resolve(i + ".png").toFile());
                }
            }
        }
        Path out = dir.resolve("i/w.weights.json");
        Cli.Run run = Cli.run("train", model.toString(), "--data", images.toString(), "--out", out.toString(),
                "--progress", "summary", "--epochs", "6");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("on image folder " + images + " (96 images)"), run.out());
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--weights", out.toString(), "--data", images.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+)/32\\)").matcher(eval.out());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 27, "well above chance: " + eval.out());
        assertTrue(eval.out().contains("horizontal") && eval.out().contains("vertical"), eval.out());

        Cli.Run flat = Cli.run("evaluate", model.toString(), "--weights", out.toString(), "--data",
                images.resolve("test").toString());
        assertEquals(0, flat.exitCode(), flat.toString());
        assertTrue(flat.out().startsWith("Bars with " + out + " on all of image folder " + images.resolve("test") + "\n"
                + eval.out().lines().skip(1).findFirst().orElseThrow()), flat.out() + "\nvs\n" + eval.out());
    }

    @Test
    void theCommittedTrainedWeightsFitTheExampleModels() {
        for (String example : new String[] {"mnist/seed_cnn.cnn", "mnist/lenet5.cnn"}) {
            Cli.Run check = Cli.run("check", Cli.example(example));
            assertEquals(0, check.exitCode(), check.toString());
            assertTrue(check.out().startsWith("ok: 10 tensors, "), check.out());
        }
    }

    @Test
    void evaluateNeedsWeights() {
        Cli.Run run = Cli.run("evaluate", model.toString(), "--weights", dir.resolve("missing.json").toString(),
                "--data", data.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("weights file not found"), run.err());
    }
}
