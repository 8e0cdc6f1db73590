package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.cli.demo.JavaSourceCompiler;
import dev.striate.data.Dataset;
import dev.striate.data.ImageShape;
import dev.striate.training.DataSource;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate evaluate} runs the class {@code striate compile} writes: the outputs it reports
 * per image ({@code --predictions}) are the class's own, compiled here with {@code javac} from the
 * written source and run on the same images. The model ends in a softmax, which the trainer leaves
 * out (it outputs logits), so outputs from the trainer's forward pass would not match.
 */
class EvaluateRunsShippedClassTest {
    @TempDir
    Path dir;

    /** Writes the data set ({@code train} and {@code test} images) and the model, and trains it one epoch. */
    private Path train(int train, int test) throws IOException {
        SyntheticIdx.write(dir.resolve("data"), train, test);
        Files.writeString(dir.resolve("bars.cnn"), SyntheticIdx.MODEL);
        Path weights = dir.resolve("bars.weights.json");
        Cli.Run run = Cli.run("train", dir.resolve("bars.cnn").toString(), "--data", dir.resolve("data").toString(),
                "--progress", "summary", "--threads", "1", "--epochs", "1", "--no-test", "--out", weights.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return weights;
    }

    @Test
    void theIdxReportNamesTheModelsLabels() throws Exception {
        Path weights = train(64, 16);
        Cli.Run eval = Cli.run("evaluate", dir.resolve("bars.cnn").toString(), "--weights", weights.toString(),
                "--data", dir.resolve("data").toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        String out = eval.out();
        assertTrue(out.contains("\nhorizontal ") && out.contains("\nvertical "), "per-class rows by label:\n" + out);
        assertTrue(out.matches("(?s).*columns: predicted\\)\n +horizontal +vertical\n.*"), "matrix columns:\n" + out);
    }

    @Test
    void evaluateReportsTheOutputsOfTheCompiledClass() throws Exception {
        Path weights = train(160, 48);
        Path data = dir.resolve("data");
        Path model = dir.resolve("bars.cnn");

        Path csv = dir.resolve("predictions.csv");
        Cli.Run eval = Cli.run("evaluate", model.toString(), "--weights", weights.toString(), "--data", data.toString(),
                "--predictions", csv.toString());
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().startsWith("Bars with " + weights + " on the test set of "), eval.out());
        assertTrue(eval.out().contains("accuracy ") && eval.out().contains(", loss "), eval.out());

        Path gen = dir.resolve("gen");
        Cli.Run compile = Cli.run("compile", model.toString(), "--weights", weights.toString(), "--out", gen.toString());
        assertEquals(0, compile.exitCode(), compile.toString());
        Path classes = dir.resolve("classes");
        JavaSourceCompiler.compile(List.of(gen.resolve("Bars.java")), classes);
        Files.copy(gen.resolve("Bars.weights"), classes.resolve("Bars.weights"));

        Dataset test = DataSource.load(data.toString(), new ImageShape(1, SyntheticIdx.SIDE, SyntheticIdx.SIDE), 2,
                List.of(), DataSource.Use.EVALUATE)
                .evaluationSet();
        List<String> rows = Files.readAllLines(csv);
        assertEquals("index,label,predicted,output_0,output_1", rows.get(0));
        assertEquals(test.size() + 1, rows.size());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> type = loader.loadClass("Bars");
            Object instance = type.getMethod("load").invoke(null);
            Method predict = type.getMethod("predict", float[].class);
            Method classify = type.getMethod("classify", float[].class);
            for (int i = 0; i < test.size(); i++) {
                String[] cells = rows.get(i + 1).split(",");
                assertEquals(i, Integer.parseInt(cells[0]));
                assertEquals(test.label(i), Integer.parseInt(cells[1]));
                float[] expected = (float[]) predict.invoke(instance, (Object) test.image(i));
                assertEquals((int) classify.invoke(instance, (Object) test.image(i)), Integer.parseInt(cells[2]),
                        "image " + i);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], Float.parseFloat(cells[3 + j]), 1e-6, "image " + i + " output " + j);
                }
            }
        }
    }

    @Test
    void anUnwritablePredictionsFileIsAUserError() throws IOException {
        Path weights = train(16, 8);
        Cli.Run eval = Cli.run("evaluate", dir.resolve("bars.cnn").toString(), "--weights", weights.toString(),
                "--data", dir.resolve("data").toString(), "--predictions", dir.resolve("missing/p.csv").toString());
        assertEquals(1, eval.exitCode(), eval.toString());
        assertTrue(eval.err().contains("cannot write"), eval.err());
    }
}
