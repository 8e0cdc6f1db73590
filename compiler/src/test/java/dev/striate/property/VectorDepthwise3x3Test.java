package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CHW 3x3 depthwise kernel of the vector variant ({@code SimdChw}'s {@code depthwiseChw3}: blocks of 8 output rows
 * x 1 pixel vector in {@code depthwiseChw3Block}, each input vector loaded once for the rows reading it, then the rows left over one at a time) must
 * give every output exactly as the kernel's contract says, bit for bit: from the bias, one float FMA per tap in (ky, kx)
 * order (a padded tap multiplies zero), then relu. Heights with no whole block (5), exactly one (8), two and some left
 * over (19, 17); widths of one vector (16 on AVX-512), two (32), and not a whole
 * number (21, 33, 40: the last vector overlaps); "same", no and asymmetric padding. Also against the reference
 * interpreter (double precision).
 */
class VectorDepthwise3x3Test {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "[3, {0}, {1}], padding {2}")
    @CsvSource(delimiter = ';', value = {"19; 21; same", "8; 16; 1", "5; 40; same", "20; 18; 0", "17; 33; [1, 0, 0, 1]"})
    void everyOutputIsItsFmaChain(int h, int w, String padding) throws IOException {
        int c = 3;
        String model = "model Dw3 {\n    input x: [" + c + ", " + h + ", " + w + "]\n"
                + "    depthwise_conv2d(kernel=3, padding=" + padding + ", activation=relu, name=\"d\")\n}\n";
        Path source = dir.resolve("Dw3.cnn");
        Files.writeString(source, model, StandardCharsets.UTF_8);
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(source, null, diagnostics);
        Path weights = dir.resolve("Dw3.weights.json");
        WeightsFile.write(weights, RandomValidModelsTest.randomWeights(graph, new Random(h * 100L + w)));
        Graph bound = Compiler.bindWeights(graph, weights, diagnostics);
        CompileResult result = Compiler.compile(CompileRequest.builder(source).packageName("p")
                .sourceOutput(dir.resolve("out")).vector(true).build());
        String java = new String(result.files().get(0).content(), StandardCharsets.UTF_8);
        assertTrue(VectorCheck.paths(java).contains("d=vector depthwise conv, pixels in lanes, CHW\n")
                && java.contains("depthwiseChw3("), "the CHW 3x3 kernel runs:\n" + VectorCheck.paths(java));
        CompiledModel.Instance instance = CompiledModel.compile(result.files(),
                CompiledModel.VECTOR_OPTIONS.toArray(new String[0])).load();
        Node d = bound.node("d");
        float[] k = bound.weight(d, "weight").data();
        float[] bias = bound.weight(d, "bias").data();
        int oh = d.shape().height();
        int ow = d.shape().width();
        // the padding before the first row and column: the output is centred unless the padding is asymmetric
        int pt = padding.startsWith("[") ? 1 : (oh - h + 2) / 2;
        int pl = padding.startsWith("[") ? 0 : (ow - w + 2) / 2;
        Random random = new Random(w);
        for (int t = 0; t < 3; t++) {
            float[] x = new float[c * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
            // the first call runs in the interpreter, the later ones compiled: the same bits either way
            float[] got = null;
            for (int call = 0; call < (t == 2 ? 2000 : 1); call++) {
                got = instance.predict(x);
            }
            assertEquals(c * oh * ow, got.length);
            Tolerance.assertClose(ReferenceInterpreter.run(bound, x), got, "Dw3 [" + h + ", " + w + "], input " + t);
            // surefire's default run adds the module; the trainer's scalar-kernel execution (when -Dtest selects this
            // class) runs without it, and then the scalar class runs: only the reference applies
            if (!VECTOR) {
                continue;
            }
            for (int ch = 0; ch < c; ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float a = bias[ch];
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = oy - pt + ky;
                                int ix = ox - pl + kx;
                                float v = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[(ch * h + iy) * w + ix] : 0f;
                                a = Math.fma(k[(ch * 3 + ky) * 3 + kx], v, a);
                            }
                        }
                        float want = Math.max(a, 0f);
                        float have = got[(ch * oh + oy) * ow + ox];
                        if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(have)) {
                            throw new AssertionError("input " + t + ", channel " + ch + ", pixel (" + oy + ", " + ox
                                    + "): " + have + ", its FMA chain gives " + want);
                        }
                    }
                }
            }
        }
    }
}
