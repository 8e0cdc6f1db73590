package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate compile a.cnn b.cnn ... --ensemble NAME}: the ensemble class's output equals the weighted
 * average of its member classes' outputs (each run on its own, within 1e-6); members that disagree on input,
 * labels or normalization are refused at the differing member (E512); bad counts and weights are refused
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
}
