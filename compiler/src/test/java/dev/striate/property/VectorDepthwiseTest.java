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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant's depthwise kernel (multiplier 1) on channel counts the PyTorch fixtures do not
 * reach (they have fewer channels than a vector, so only the masked last vector runs there): 32
 * channels (whole vectors only) and 35 (whole vectors and a masked last one), with stride, dilation,
 * padding, a fused relu, another activation and a pool after it, against the reference interpreter
 * (double precision, random weights). A multiplier-2 depthwise layer must keep the scalar fallback.
 */
class VectorDepthwiseTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {32, 35})
    void depthwiseKernelMatchesTheReference(int channels) throws IOException {
        String model = "model DwVector {\n"
                + "    input x: [" + channels + ", 13, 11]\n"
                + "    depthwise_conv2d(kernel=3, stride=2, dilation=2, padding=2, activation=relu, name=\"a\")\n"
                + "    depthwise_conv2d(kernel=5, padding=same, activation=tanh, bias=false, name=\"b\")\n"
                + "    maxpool(size=2)\n"
                + "    depthwise_conv2d(kernel=3, multiplier=2, padding=1, name=\"c\")\n"
                + "}\n";
        Path source = dir.resolve("model.cnn");
        Files.writeString(source, model, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        Random random = new Random(channels);
        WeightsFile.write(dir.resolve("model.weights.json"), RandomValidModelsTest.randomWeights(graph, random));
        Graph bound = Compiler.bindWeights(graph, dir.resolve("model.weights.json"), diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                .sourceOutput(dir.resolve("out")).vector(true).build());

        String java = new String(result.files().get(0).content(), StandardCharsets.UTF_8);
        Matcher layer = Pattern.compile("Layer \\{@code (\\w+)\\}: [^\\n]*; (vector depthwise conv|scalar)").matcher(java);
        StringBuilder kinds = new StringBuilder();
        while (layer.find()) {
            kinds.append(layer.group(1)).append('=').append(layer.group(2)).append(' ');
        }
        assertTrue(kinds.toString().contains("a=vector depthwise conv") && kinds.toString().contains("b=vector depthwise conv"),
                "multiplier-1 depthwise layers take the vector kernel: " + kinds);
        assertTrue(!kinds.toString().contains("c=vector"), "multiplier 2 keeps the scalar fallback: " + kinds);

        CompiledModel.Instance instance = CompiledModel.compile(result.files(),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
        for (int t = 0; t < 2; t++) {
            float[] x = new float[channels * 13 * 11];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            double[] want = ReferenceInterpreter.run(bound, x);
            float[] got = instance.predict(x);
            assertEquals(want.length, got.length, "output size");
            Tolerance.assertClose(want, got, channels + " channels, input " + t);
        }
    }
}
