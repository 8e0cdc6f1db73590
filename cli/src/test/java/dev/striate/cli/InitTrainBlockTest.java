package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.Diagnostics;
import dev.striate.passes.InitWeights;
import dev.striate.training.ModelRecipe;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code striate init} draws the kernels with the train block's {@code init}: the weights it writes equal
 * those {@code striate train} seeds ({@link InitWeights#run(dev.striate.ir.Graph, long, InitWeights.KernelInit)}
 * with the block's initializer, the call training makes) for the same seed, and differ from the default ones.
 */
class InitTrainBlockTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            model Small {
                input image: [1, 8, 8]
                conv2d(4, kernel=3, activation=relu)
                flatten
                dense(3, activation=softmax)
            }
            %s
            """;

    private WeightSet init(String name, String trainBlock) throws IOException {
        Path model = Files.writeString(dir.resolve(name + ".cnn"), MODEL.formatted(trainBlock));
        Path out = dir.resolve(name + ".weights.json");
        Cli.Run run = Cli.run("init", model.toString(), "--seed", "7", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return WeightsFile.read(out);
    }

    private static void assertSameWeights(WeightSet expected, WeightSet actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (Tensor t : expected.tensors().values()) {
            assertArrayEquals(t.data(), actual.tensors().get(t.name()).data(), t.name());
        }
    }

    @Test
    void initDrawsTheKernelsAsTheTrainBlockSays() throws IOException {
        WeightSet normal = init("normal", "train Small {\n    loss = crossentropy\n    init = glorot_normal\n}");
        WeightSet plain = init("plain", "");

        ModelRecipe recipe = ModelRecipe.load(dir.resolve("normal.cnn"), null, new Diagnostics());
        assertEquals(InitWeights.KernelInit.GLOROT_NORMAL, recipe.settings().init());
        assertSameWeights(InitWeights.run(recipe.graph(), 7, InitWeights.KernelInit.GLOROT_NORMAL), normal);
        assertSameWeights(InitWeights.run(recipe.graph(), 7), plain);

        for (String kernel : new String[] {"conv2d_1.weight", "dense_1.weight"}) {
            assertTrue(normal.tensors().containsKey(kernel), normal.tensors().keySet().toString());
            assertFalse(Arrays.equals(normal.tensors().get(kernel).data(), plain.tensors().get(kernel).data()),
                    kernel + " differs from the default initializer's");
        }
    }
}
