package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant's groups=1 convolution kernels on filter counts the PyTorch fixtures do not
 * reach, against the reference interpreter (double precision, random weights): 6 filters (one
 * partial vector, stored whole over the next pixel's channels), 37 (a partial vector in a 3-vector
 * group), 70 (a full 4-vector group, then a single partial vector: on AVX-512 and AVX2 alike, the
 * case where a whole-vector store would overwrite channels another group already wrote) and 64
 * (whole vectors); with a 3x3 padded conv (the flat kernels), 1x1 convs without and with stride and
 * padding (the GEMM kernels), 2x2 max and average pools on odd sizes (the 2x2 kernel) and a dense
 * layer (the GEMM kernels on one pixel).
 */
class VectorConvTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} filters")
    @ValueSource(ints = {6, 37, 64, 70})
    void convKernelsMatchTheReference(int filters) throws IOException {
        String model = "model ConvVector {\n"
                + "    input x: [3, 11, 13]\n"
                + "    conv2d(" + filters + ", kernel=3, padding=1, activation=relu, name=\"a\")\n"
                + "    conv2d(" + filters + ", kernel=1, activation=tanh, name=\"b\")\n"
                + "    maxpool(size=2)\n"
                + "    conv2d(" + filters + ", kernel=1, stride=2, padding=1, activation=relu, name=\"c\")\n"
                + "    avgpool(size=2)\n"
                + "    flatten\n"
                + "    dense(" + filters + ", activation=relu, name=\"d\")\n"
                + "}\n";
        Path source = dir.resolve("model.cnn");
        Files.writeString(source, model, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        Random random = new Random(filters);
        WeightsFile.write(dir.resolve("model.weights.json"), RandomValidModelsTest.randomWeights(graph, random));
        Graph bound = Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                .sourceOutput(dir.resolve("out")).vector(true).build());

        String java = new String(result.files().get(0).content(), StandardCharsets.UTF_8);
        assertTrue(java.contains("gemm(") && java.contains("conv(") && java.contains("maxPool2x2(")
                && java.contains("avgPool2x2("), "the model reaches the flat, GEMM and 2x2 pool kernels");

        CompiledModel.Instance instance = CompiledModel.compile(result.files(),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
        for (int t = 0; t < 3; t++) {
            float[] x = new float[3 * 11 * 13];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            double[] want = ReferenceInterpreter.run(bound, x);
            float[] got = instance.predict(x);
            assertEquals(want.length, got.length, "output size");
            Tolerance.assertClose(want, got, filters + " filters, input " + t);
        }
    }
}
