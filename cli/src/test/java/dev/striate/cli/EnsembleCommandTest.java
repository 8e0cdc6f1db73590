package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.cli.demo.JavaSourceCompiler;
import dev.striate.data.Normalization;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate compile a.cnn b.cnn ... --ensemble NAME}: the ensemble class's output equals the weighted
 * average of its member classes' outputs (each run on its own, within 1e-6); members that disagree on input,
 * labels, final softmax or normalization are refused at the differing member (E512); bad counts and weights are refused
 * (E513, or option errors for what picocli can see).
 */
class EnsembleCommandTest {
    @TempDir
    static Path dir;

    private static final String MODEL = """
            model Small {
                input image: [1, %d, 8]
                conv2d(4, kernel=3, activation=relu)
                flatten
                dense(3, activation=softmax)
                labels [%s]
            }
            """;

    private static Path model(String name, int height, String labels) throws IOException {
        return Files.writeString(dir.resolve(name + ".cnn"), MODEL.formatted(height, labels));
    }

    private static Path weights(Path model, int seed) {
        Path out = dir.resolve(dev.striate.CompileRequest.stem(model) + "-" + seed + ".weights.json");
        Cli.Run run = Cli.run("init", model.toString(), "--seed", String.valueOf(seed), "--out", out.toString(),
                "--force");
        assertEquals(0, run.exitCode(), run.toString());
        return out;
    }

    static Path small;
    static Path w1;
    static Path w2;
    static Path w3;

    @BeforeAll
    static void setUp() throws IOException {
        small = model("small", 8, "\"a\", \"b\", \"c\"");
        w1 = weights(small, 1);
        w2 = weights(small, 2);
        w3 = weights(small, 3);
    }

    private static Cli.Run compileEnsemble(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("compile", small.toString(), small.toString(),
                small.toString(), "--member-weights", w1 + "," + w2 + "," + w3, "--single-file", "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(new String[0]));
    }

    private static ClassLoader compiled(Path gen) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(gen)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        Path classes = gen.resolve("classes");
        assertEquals(List.of(), JavaSourceCompiler.compile(sources, classes).warnings());
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }

    private static float[] predict(ClassLoader loader, String className, float[] x) throws Exception {
        Class<?> c = loader.loadClass(className);
        Object m = c.getMethod("load").invoke(null);
        return (float[]) c.getMethod("predict", float[].class).invoke(m, (Object) x);
    }

    @Test
    void theEnsembleIsTheWeightedAverageOfItsMembers() throws Exception {
        Path gen = dir.resolve("gen-weighted");
        Cli.Run run = compileEnsemble(gen, "--ensemble", "Committee", "--ensemble-weights", "5,3,2");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().endsWith("compiled ensemble Committee of 3 models: 4 written, 0 unchanged\n"), run.out());
        ClassLoader loader = compiled(gen);
        double[] weights = {0.5, 0.3, 0.2};
        Random r = new Random(5);
        boolean differ = false;
        for (int t = 0; t < 5; t++) {
            float[] x = new float[64];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 4 - 2;
            }
            float[] got = predict(loader, "Committee", x);
            double[] expected = new double[3];
            for (int m = 0; m < 3; m++) {
                float[] y = predict(loader, "CommitteeMember" + (m + 1), x);
                for (int k = 0; k < 3; k++) {
                    expected[k] += weights[m] * y[k];
                }
                differ |= m > 0 && y[0] != predict(loader, "CommitteeMember1", x)[0];
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[k], got[k], 1e-6, "image " + t + ", class " + k);
            }
        }
        assertTrue(differ, "the members have different weights");
        Class<?> c = loader.loadClass("Committee");
        assertEquals("c", c.getMethod("label", int.class).invoke(null, 2));
    }

    @Test
    void aMemberReadingAnotherInputIsRefusedAtItsInput() throws Exception {
        Path tall = model("tall", 9, "\"a\", \"b\", \"c\"");
        Path tallWeights = weights(tall, 4);
        Cli.Run run = Cli.run("compile", small.toString(), tall.toString(), "--member-weights", w1 + "," + tallWeights,
                "--ensemble", "Pair", "--out", dir.resolve("gen-tall").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(tall + ":2:11: error: model 2 (Small from tall.cnn) reads [1, 9, 8] but model 1"
                + " (Small from small.cnn) reads [1, 8, 8]; the members of an ensemble take the same input"), run.err());
        assertTrue(run.err().contains("[E512]"), run.err());
        assertTrue(!Files.exists(dir.resolve("gen-tall/Pair.java")), "nothing written");
    }

    @Test
    void membersWithOtherLabelsAreRefused() throws Exception {
        Path swapped = model("swapped", 8, "\"a\", \"c\", \"b\"");
        Cli.Run run = Cli.run("compile", small.toString(), swapped.toString(), "--member-weights",
                w1 + "," + weights(swapped, 5), "--ensemble", "Pair", "--out", dir.resolve("gen-labels").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("model 2 (Small from swapped.cnn) has label 'c' for class 1 where model 1"
                + " (Small from small.cnn) has 'b'"), run.err());
        assertTrue(run.err().startsWith(swapped + ":"), run.err());
        assertTrue(run.err().contains("[E512]"), run.err());
    }

    /** The small model with the same labels but no final softmax: it gives scores, not probabilities. */
    private static Path scoresModel() throws IOException {
        String text = MODEL.formatted(8, "\"a\", \"b\", \"c\"").replace("dense(3, activation=softmax)", "dense(3)");
        assertTrue(!text.contains("softmax"), text);
        return Files.writeString(dir.resolve("scores.cnn"), text);
    }

    @Test
    void membersOfWhichOnlySomeEndInSoftmaxAreRefusedAtTheirOutput() throws Exception {
        Path scores = scoresModel();
        Cli.Run run = Cli.run("compile", small.toString(), scores.toString(), "--member-weights",
                w1 + "," + weights(scores, 6), "--ensemble", "Pair", "--out", dir.resolve("gen-softmax").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(scores + ":5:5: error: model 2 (Small from scores.cnn) does not end in"
                + " softmax (gives scores) but model 1 (Small from small.cnn) ends in softmax (gives probabilities);"
                + " the members of an ensemble are averaged, so either all end in softmax or none does"), run.err());
        assertTrue(run.err().contains("[E512]"), run.err());
        assertTrue(!Files.exists(dir.resolve("gen-softmax/Pair.java")), "nothing written");
        Cli.Run bothScores = Cli.run("check", scores.toString(), scores.toString(), "--member-weights",
                weights(scores, 6) + "," + weights(scores, 7), "--ensemble", "Pair");
        assertEquals(0, bothScores.exitCode(), bothScores.toString());
    }

    @Test
    void membersWithAnotherNormalizationAreRefusedAtTheirWeights() throws Exception {
        Path normalized = dir.resolve("normalized.weights.json");
        WeightsFile.write(normalized, WeightsFile.read(w2).withNormalization(
                Normalization.of(new double[] {0.5}, new double[] {0.25})));
        Cli.Run run = Cli.run("compile", small.toString(), small.toString(), "--member-weights", w1 + "," + normalized,
                "--ensemble", "Pair", "--out", dir.resolve("gen-norm").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith(normalized + ":1:1: error: model 2 (Small from small.cnn) records the pixel"
                + " normalization"), run.err());
        assertTrue(run.err().contains("but model 1 (Small from small.cnn) records no pixel normalization"), run.err());
        assertTrue(run.err().contains("[E512]"), run.err());
    }

    @Test
    void badWeightsAreRefused() {
        Cli.Run count = compileEnsemble(dir.resolve("gen-count"), "--ensemble", "C", "--ensemble-weights", "1,2");
        assertEquals(1, count.exitCode(), count.toString());
        assertTrue(count.err().contains("2 ensemble weights for 3 models: give one weight per model, in the order of"
                + " the models [E513]"), count.err());
        Cli.Run negative = compileEnsemble(dir.resolve("gen-neg"), "--ensemble", "C", "--ensemble-weights", "1,0,-1");
        assertEquals(1, negative.exitCode(), negative.toString());
        assertTrue(negative.err().contains("ensemble weight 2 is 0.0; a weight must be a positive finite number [E513]"),
                negative.err());
        assertTrue(negative.err().contains("ensemble weight 3 is -1.0"), negative.err());
    }

    @Test
    void optionsThatDoNotFitAreOptionErrors() {
        Cli.Run several = Cli.run("compile", small.toString(), small.toString(), "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.USER_ERROR, several.exitCode(), several.toString());
        assertTrue(several.err().contains("several model files are compiled together only with --ensemble NAME"),
                several.err());
        Cli.Run withClass = compileEnsemble(dir.resolve("x"), "--ensemble", "C", "--class", "D");
        assertEquals(ExitCodes.USER_ERROR, withClass.exitCode(), withClass.toString());
        assertTrue(withClass.err().contains("--class does not apply to --ensemble"), withClass.err());
        Cli.Run files = Cli.run("compile", small.toString(), small.toString(), "--member-weights", w1.toString(),
                "--ensemble", "C", "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.USER_ERROR, files.exitCode(), files.toString());
        assertTrue(files.err().contains("--member-weights names 1 weights files for 2 models"), files.err());
        Cli.Run single = Cli.run("compile", small.toString(), "--ensemble", "C", "--out", dir.resolve("x").toString());
        assertEquals(1, single.exitCode(), single.toString());
        assertTrue(single.err().contains("an ensemble needs 2 to 64 models, got 1 [E513]"), single.err());
        Cli.Run badName = compileEnsemble(dir.resolve("x"), "--ensemble", "no-dash");
        assertEquals(ExitCodes.USER_ERROR, badName.exitCode(), badName.toString());
        assertTrue(badName.err().contains("--ensemble 'no-dash'"), badName.err());
    }

    /** The refusals above, each as the arguments after the command and an expected part of its message. */
    private static List<List<String>> refusals() throws IOException {
        Path tall = model("tall", 9, "\"a\", \"b\", \"c\"");
        Path swapped = model("swapped", 8, "\"a\", \"c\", \"b\"");
        Path scores = scoresModel();
        Path normalized = dir.resolve("normalized-check.weights.json");
        WeightsFile.write(normalized, WeightsFile.read(w2).withNormalization(
                Normalization.of(new double[] {0.5}, new double[] {0.25})));
        String three = w1 + "," + w2 + "," + w3;
        return List.of(
                List.of("[E512]", small.toString(), tall.toString(), "--member-weights", w1 + "," + weights(tall, 4),
                        "--ensemble", "Pair"),
                List.of("[E512]", small.toString(), swapped.toString(), "--member-weights",
                        w1 + "," + weights(swapped, 5), "--ensemble", "Pair"),
                List.of("[E512]", small.toString(), small.toString(), "--member-weights", w1 + "," + normalized,
                        "--ensemble", "Pair"),
                List.of("does not end in softmax", small.toString(), scores.toString(), "--member-weights",
                        w1 + "," + weights(scores, 6), "--ensemble", "Pair"),
                List.of("[E513]", small.toString(), small.toString(), small.toString(), "--member-weights", three,
                        "--ensemble", "C", "--ensemble-weights", "1,2"),
                List.of("[E513]", small.toString(), small.toString(), small.toString(), "--member-weights", three,
                        "--ensemble", "C", "--ensemble-weights", "1,0,-1"),
                List.of("[E513]", small.toString(), "--ensemble", "C"),
                List.of("--class does not apply to --ensemble", small.toString(), small.toString(), "--ensemble", "C",
                        "--class", "D"),
                List.of("--weights names one model's weights", small.toString(), small.toString(), "--ensemble", "C",
                        "--weights", w1.toString()),
                List.of("--member-weights names 1 weights files for 2 models", small.toString(), small.toString(),
                        "--member-weights", w1.toString(), "--ensemble", "C"),
                List.of("--ensemble 'no-dash'", small.toString(), small.toString(), "--ensemble", "no-dash"),
                List.of("--ensemble-weights needs --ensemble NAME", small.toString(), "--ensemble-weights", "1"));
    }

    @Test
    void checkOfAnEnsembleSaysOkAndWritesNothing() throws IOException {
        List<Path> before;
        try (Stream<Path> files = Files.walk(dir)) {
            before = files.sorted().toList();
        }
        Cli.Run run = Cli.run("check", small.toString(), small.toString(), small.toString(), "--member-weights",
                w1 + "," + w2 + "," + w3, "--ensemble", "Committee", "--ensemble-weights", "5,3,2", "--single-file");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("ok: ensemble Committee of 3 models\n", run.out());
        assertEquals("", run.err());
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(before, files.sorted().toList(), "check writes nothing");
        }
        assertTrue(!Files.exists(Path.of("Committee.java")), "nothing written in the working directory");
    }

    @Test
    void checkRefusesWhatCompileRefusesWithTheSameMessage() throws IOException {
        for (List<String> refusal : refusals()) {
            List<String> args = refusal.subList(1, refusal.size());
            List<String> compileArgs = new java.util.ArrayList<>(List.of("compile"));
            compileArgs.addAll(args);
            compileArgs.addAll(List.of("--out", dir.resolve("refused").toString()));
            List<String> checkArgs = new java.util.ArrayList<>(List.of("check"));
            checkArgs.addAll(args);
            Cli.Run compile = Cli.run(compileArgs.toArray(new String[0]));
            Cli.Run check = Cli.run(checkArgs.toArray(new String[0]));
            assertTrue(compile.exitCode() != 0, compile.toString());
            assertEquals(compile.exitCode(), check.exitCode(), args + ": " + check);
            assertTrue(check.err().contains(refusal.get(0)), args + ": " + check.err());
            assertEquals(compile.err().lines().findFirst(), check.err().lines().findFirst(), args.toString());
            assertEquals("", check.out(), args.toString());
        }
        assertTrue(!Files.exists(dir.resolve("refused")), "compile refused before writing");
        Cli.Run several = Cli.run("check", small.toString(), small.toString());
        assertEquals(ExitCodes.USER_ERROR, several.exitCode(), several.toString());
        assertTrue(several.err().contains("several model files are checked together only with --ensemble NAME"),
                several.err());
    }

    /** The probabilities {@code predict --json} printed, per image (all classes: {@code --top 3}). */
    private static double[][] predicted(Cli.Run run) throws IOException {
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode all = new ObjectMapper().readTree(run.out());
        double[][] p = new double[all.size()][3];
        for (int i = 0; i < all.size(); i++) {
            JsonNode top = all.get(i).get("top");
            assertEquals(3, top.size(), run.out());
            for (JsonNode t : top) {
                p[i][t.get("index").asInt()] = t.get("probability").doubleValue();
            }
        }
        return p;
    }

    @Test
    void predictPrintsTheWeightedAverageOfTheMembersPredictions() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(3);
        for (int i = 0; i < 4; i++) {
            ImageIO.write(BarImages.bar(i % 2 == 0, r.nextInt(8), r), "png", images.resolve(i + ".png").toFile());
        }
        double[][] got = predicted(Cli.run("predict", small.toString(), images.toString(), "--ensemble", "Committee",
                "--more-models", small + "," + small, "--member-weights", w1 + "," + w2 + "," + w3,
                "--ensemble-weights", "5,3,2", "--top", "3", "--json"));
        assertEquals(4, got.length);
        double[] weights = {0.5, 0.3, 0.2};
        double[][] expected = new double[4][3];
        double[][] first = null;
        boolean differ = false;
        for (Path w : List.of(w1, w2, w3)) {
            double[][] member = predicted(Cli.run("predict", small.toString(), images.toString(), "--weights",
                    w.toString(), "--top", "3", "--json"));
            int m = List.of(w1, w2, w3).indexOf(w);
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 3; k++) {
                    expected[i][k] += weights[m] * member[i][k];
                    differ |= first != null && Math.abs(member[i][k] - first[i][k]) > 1e-3;
                }
            }
            first = first == null ? member : first;
        }
        assertTrue(differ, "the members predict differently");
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[i][k], got[i][k], 1e-6, "image " + i + ", class " + k);
            }
        }
        Cli.Run text = Cli.run("predict", small.toString(), images.resolve("0.png").toString(), "--ensemble", "C",
                "--more-models", small.toString(), "--member-weights", w1 + "," + w2);
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().startsWith(images.resolve("0.png") + ": "), text.out());
    }

    @Test
    void predictRefusesEnsembleMistakes() throws IOException {
        Path image = dir.resolve("one.png");
        ImageIO.write(BarImages.bar(true, 2, new Random(1)), "png", image.toFile());
        Cli.Run noEnsemble = Cli.run("predict", small.toString(), image.toString(), "--more-models", small.toString());
        assertEquals(ExitCodes.USER_ERROR, noEnsemble.exitCode(), noEnsemble.toString());
        assertTrue(noEnsemble.err().contains("several model files are run together only with --ensemble NAME"),
                noEnsemble.err());
        Cli.Run withWeights = Cli.run("predict", small.toString(), image.toString(), "--more-models", small.toString(),
                "--ensemble", "C", "--weights", w1.toString());
        assertEquals(ExitCodes.USER_ERROR, withWeights.exitCode(), withWeights.toString());
        assertTrue(withWeights.err().contains("--weights names one model's weights"), withWeights.err());
        Path tall = model("tall", 9, "\"a\", \"b\", \"c\"");
        Cli.Run disagree = Cli.run("predict", small.toString(), image.toString(), "--more-models", tall.toString(),
                "--member-weights", w1 + "," + weights(tall, 4), "--ensemble", "C");
        assertEquals(1, disagree.exitCode(), disagree.toString());
        assertTrue(disagree.err().contains("the members of an ensemble take the same input"), disagree.err());
        assertTrue(disagree.err().contains("[E512]"), disagree.err());
        assertEquals("", disagree.out());
    }
}
