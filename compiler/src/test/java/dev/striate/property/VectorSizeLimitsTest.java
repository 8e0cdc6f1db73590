package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile size for the vector variant: a 1x1 conv over 1,024 channels with explicit padding 1,000
 * has small tensors (a 1,024-float input, a [1, 2001, 2001] output), but the zero-padded HWC copy the
 * vector kernel reads would hold 2001 x 2001 x 1024 = 4.1e9 floats, past any Java array; computed in
 * int it wrapped to a negative size. The layer must run the scalar method instead, and the class must
 * load and give the scalar class's answer.
 */
class VectorSizeLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aConvWhosePaddedCopyWouldOverflowRunsTheScalarMethod() throws IOException {
        Path source = dir.resolve("model.cnn");
        Files.writeString(source, "model Wide {\n    input x: [1024, 1, 1]\n"
                + "    conv2d(1, kernel=1, padding=1000, activation=relu, name=\"wide\")\n}\n", StandardCharsets.UTF_8);
        Graph graph = Compiler.loadModel(source, null, new Diagnostics());
        WeightsFile.write(dir.resolve("model.weights.json"), RandomValidModelsTest.randomWeights(graph, new Random(1)));

        CompileResult vector = Compiler.compile(CompileRequest.builder(source).packageName("v")
                .sourceOutput(dir.resolve("v")).vector(true).build());
        String java = new String(vector.files().get(0).content(), StandardCharsets.UTF_8);
        assertTrue(java.contains("// wide: conv2d [1024, 1, 1] -> [1, 2001, 2001] (scalar, CHW)"),
                "the layer falls back to the scalar method");
        assertFalse(Pattern.compile("new float\\[-").matcher(java).find(), "no negative array size");
        CompileResult scalar = Compiler.compile(CompileRequest.builder(source).packageName("s")
                .sourceOutput(dir.resolve("s")).build());

        float[] x = new float[1024];
        Random random = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        float[] want = CompiledModel.compile(scalar.files()).load().predict(x);
        float[] got = CompiledModel.compile(vector.files(), CompiledModel.VECTOR_OPTIONS.toArray(new String[0]))
                .load().predict(x);
        assertArrayEquals(want, got);
    }
}
