package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on the bundled examples, through the real front end, weights code and backend. */
class EndToEndTest {
    @TempDir
    Path tmp;

    private static void assertOk(Cli.Run run) {
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(run.err().contains("error"), run.toString());
    }

    private static void assertUserError(Cli.Run run) {
        assertEquals(1, run.exitCode(), run.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace:\n" + run);
    }

    /** A copy of a bundled example in the temp dir, so that init writes its weights there. */
    private Path copy(String example) throws Exception {
        Path target = tmp.resolve(Path.of(example).getFileName());
        Files.copy(Cli.EXAMPLES.resolve(example), target);
        return target;
    }

    @Test
    void summaryOfTheKerasMnistCnn() {
        Cli.Run run = Cli.run("summary", Cli.example("mnist/seed_cnn.cnn"));
        assertOk(run);
        assertEquals(ModelSummaryTest.SEED_CNN_TABLE, run.out());
    }

    /** docs/cli.md prints the whole table and docs/serving.md its memory lines: both as the command prints them. */
    @Test
    void theDocsShowTheRealSummary() throws Exception {
        Path docs = Cli.EXAMPLES.resolveSibling("docs");
        String run = Cli.run("summary", Cli.example("mnist/seed_cnn.cnn")).out();
        assertTrue(Files.readString(docs.resolve("cli.md")).contains("$ ./striate summary examples/mnist/seed_cnn.cnn\n" + run + "```\n"),
                "docs/cli.md's summary sample is stale; the command prints:\n" + run);
        String memory = run.substring(run.indexOf("Generated class:"));
        assertTrue(Files.readString(docs.resolve("serving.md")).contains("```\n" + memory + "```\n"),
                "docs/serving.md's memory lines are stale; the command prints:\n" + memory);
    }

    @Test
    void summaryOfLeNet5() {
        Cli.Run run = Cli.run("summary", Cli.example("mnist/lenet5.cnn"));
        assertOk(run);
        assertTrue(run.out().contains("Total params: 61,706\n"), run.out());
    }

    @Test
    void summaryOfTheTinyResNetShowsTheGraph() {
        Cli.Run run = Cli.run("summary", Cli.example("resnet/tiny_resnet.cnn"), "--model", "TinyResNet");
        assertOk(run);
        assertTrue(run.out().contains("Connected to"), run.out());
        assertTrue(run.out().contains("last_conv (conv2d)"), run.out());
        assertTrue(run.out().contains("Total params: 5,450\n"), run.out());
    }

    @Test
    void fileWithSeveralModelsNeedsModelOption() throws Exception {
        Path zoo = tmp.resolve("zoo.cnn");
        Files.writeString(zoo, Files.readString(Cli.EXAMPLES.resolve("mnist/lenet5.cnn"))
                + Files.readString(Cli.EXAMPLES.resolve("resnet/tiny_resnet.cnn")));
        Cli.Run run = Cli.run("summary", zoo.toString());
        assertUserError(run);
        assertTrue(run.err().contains("[E501]"), run.err());
        assertTrue(run.err().contains("hint: pick the model with --model NAME"), run.err());
        Cli.Run picked = Cli.run("summary", zoo.toString(), "--model", "TinyResNet");
        assertOk(picked);
        assertTrue(picked.out().startsWith("Model: TinyResNet\n"), picked.out());
        assertUserError(Cli.run("summary", zoo.toString(), "--model", "Nope"));
    }

    @Test
    void initThenCheck() throws Exception {
        Path model = copy("mnist/seed_cnn.cnn");
        Path manifest = tmp.resolve("seed_cnn.weights.json");
        Cli.Run init = Cli.run("init", model.toString());
        assertOk(init);
        assertEquals("wrote " + manifest + ": 10 tensors, 93,322 params, seed 42\n", init.out());
        assertTrue(Files.isRegularFile(manifest));
        Cli.Run check = Cli.run("check", model.toString());
        assertOk(check);
        assertEquals("ok: 10 tensors, 93,322 params\n", check.out());
    }

    @Test
    void initIsSeededAndNeedsForceToOverwrite() throws Exception {
        Path model = copy("mnist/lenet5.cnn");
        Path a = tmp.resolve("a.weights.json");
        Path b = tmp.resolve("b.weights.json");
        assertOk(Cli.run("init", model.toString(), "--out", a.toString(), "--seed", "7"));
        assertOk(Cli.run("init", model.toString(), "--out", b.toString(), "--seed", "7"));
        assertEquals(tensors(a), tensors(b), "same seed, same weights");
        assertUserError(Cli.run("init", model.toString(), "--out", b.toString(), "--seed", "8"));
        assertEquals(tensors(a), tensors(b), "refused: left unchanged");
        assertOk(Cli.run("init", model.toString(), "--out", b.toString(), "--seed", "8", "--force"));
        assertFalse(tensors(a).equals(tensors(b)), "another seed, other weights");
    }

    private static List<String> tensors(Path manifest) throws Exception {
        return WeightsFile.read(manifest).tensors().values().stream()
                .map(t -> t.name() + java.util.Arrays.toString(t.data())).toList();
    }

    @Test
    void checkReportsEveryMismatchOfWrongWeights() throws Exception {
        Path model = copy("mnist/seed_cnn.cnn");
        Path lenetWeights = tmp.resolve("lenet.weights.json");
        assertOk(Cli.run("init", Cli.example("mnist/lenet5.cnn"), "--out", lenetWeights.toString()));
        Cli.Run run = Cli.run("check", model.toString(), "--weights", lenetWeights.toString());
        assertUserError(run);
        assertEquals("", run.out());
        long problems = run.err().lines().filter(l -> l.contains(": error: ")).count();
        assertTrue(problems >= 3, "several mismatches reported, not only the first:\n" + run.err());
        assertTrue(run.err().contains("conv2d_1.weight"), run.err());
    }

    @Test
    void warningsGoToStderrAndDoNotFail() throws Exception {
        Path model = copy("mnist/seed_cnn.cnn");
        assertOk(Cli.run("init", model.toString()));
        Path manifest = tmp.resolve("seed_cnn.weights.json");
        String json = Files.readString(manifest);
        assertTrue(json.contains("\"model\": \"SeedCnn\""), json.substring(0, 120));
        Files.writeString(manifest, json.replace("\"model\": \"SeedCnn\"", "\"model\": \"Digits\""));
        Cli.Run run = Cli.run("check", model.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("ok: 10 tensors, 93,322 params\n", run.out());
        assertTrue(run.err().startsWith(manifest + ":"), run.err());
        assertTrue(run.err().contains(": warning: "), run.err());
        assertTrue(run.err().contains("Digits"), run.err());
        Cli.Run compile = Cli.run("compile", model.toString(), "--out", tmp.resolve("gen").toString());
        assertEquals(0, compile.exitCode(), compile.toString());
        assertTrue(compile.err().contains(": warning: "), compile.toString());
    }

    @Test
    void checkWithoutWeightsSuggestsInit() throws Exception {
        Path model = copy("mnist/seed_cnn.cnn");
        Cli.Run run = Cli.run("check", model.toString());
        assertUserError(run);
        assertTrue(run.err().contains("striate init"), run.err());
    }

    @Test
    void syntaxErrorsPointAtTheSource() throws Exception {
        Path model = tmp.resolve("broken.cnn");
        Files.writeString(model, "model Broken {\n    input x: [1, 8, 8]\n    conv2d(4 kernel=3)\n}\n");
        Cli.Run run = Cli.run("summary", model.toString());
        assertUserError(run);
        assertTrue(run.err().startsWith(model + ":3:"), run.err());
        assertTrue(run.err().contains(": error: "), run.err());
    }

    @Test
    void compileWritesTheClassThenReportsItUnchanged() throws Exception {
        Path model = copy("mnist/seed_cnn.cnn");
        assertOk(Cli.run("init", model.toString()));
        Path out = tmp.resolve("gen");
        Cli.Run first = Cli.run("compile", model.toString(), "--package", "com.acme", "--class", "Digits",
                "--out", out.toString());
        assertOk(first);
        Path source = out.resolve("com/acme/Digits.java");
        assertTrue(Files.isRegularFile(source), first.toString());
        assertTrue(first.out().contains("wrote     " + source + "\n"), first.out());
        assertTrue(first.out().contains("compiled model SeedCnn:"), first.out());
        Cli.Run second = Cli.run("compile", model.toString(), "--package", "com.acme", "--class", "Digits",
                "--out", out.toString());
        assertOk(second);
        assertTrue(second.out().contains("unchanged " + source + "\n"), second.out());
        assertTrue(second.out().contains(": 0 written,"), second.out());
    }

    @Test
    void dumpIrPrintsThePassLogAndNoBatchNormSurvives() throws Exception {
        Path model = copy("resnet/tiny_resnet.cnn");
        assertOk(Cli.run("init", model.toString()));
        Path out = tmp.resolve("gen");
        Cli.Run run = Cli.run("compile", model.toString(), "--dump-ir", "--out", out.toString());
        assertOk(run);
        assertTrue(run.out().contains("FoldBatchNorm"), run.out());
        assertTrue(run.out().contains("// after FoldBatchNorm\n"), run.out());
        assertTrue(run.out().contains("= batchnorm("), "the input IR still has batch norms: " + run.out());
        String optimized = Files.readString(out.resolve("TinyResNet.java"));
        assertFalse(optimized.contains("batchnorm"), "batch norm was folded away");

        Path plain = tmp.resolve("plain");
        assertOk(Cli.run("compile", model.toString(), "--no-optimize", "--out", plain.toString()));
        assertTrue(Files.readString(plain.resolve("TinyResNet.java")).contains("batchnorm"),
                "--no-optimize keeps the batch-norm layers");
    }

    @Test
    void sobelExampleHoldsTheExactKernels() throws Exception {
        Cli.Run run = Cli.run("check", Cli.example("sobel/sobel.cnn"));
        assertOk(run);
        assertEquals("ok: 1 tensors, 18 params\n", run.out());
        WeightSet w = WeightsFile.read(Cli.EXAMPLES.resolve("sobel/sobel.weights.json"));
        Tensor k = w.tensors().get("sobel.weight");
        assertArrayEquals(new int[] {2, 1, 3, 3}, k.shape());
        assertArrayEquals(new float[] {-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1}, k.data());
    }
}
