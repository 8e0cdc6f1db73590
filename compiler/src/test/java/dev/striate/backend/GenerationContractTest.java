package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Determinism, the shape of the emitted source, and the graphs the backend refuses. */
class GenerationContractTest {

    @Test
    void sameGraphAndOptionsGiveByteIdenticalFiles() {
        for (boolean singleFile : new boolean[] {false, true}) {
            GenerateOptions options = new GenerateOptions("com.acme", "Res", singleFile);
            List<GeneratedFile> a = JavaBackend.generate(TestModels.tinyResNet(5).build(), options);
            List<GeneratedFile> b = JavaBackend.generate(TestModels.tinyResNet(5).build(), options);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).relativePath(), b.get(i).relativePath());
                assertArrayEquals(a.get(i).content(), b.get(i).content(), a.get(i).relativePath());
            }
        }
    }

    @Test
    void sourceIsSpecializedAndReadable() {
        String s = new String(JavaBackend.generate(TestModels.mnistCnn(1).build(),
                new GenerateOptions("com.acme", "SeedCnn", false)).get(0).content(), StandardCharsets.UTF_8);
        assertTrue(s.contains("public final class SeedCnn implements UnaryOperator<float[]> {"));
        assertTrue(s.contains(" * conv2d_2             conv2d             [64, 11, 11]     18496"), "layer table");
        assertTrue(s.contains("Thread safety:"));
        assertTrue(s.contains("Layer {@code conv2d_1}: conv2d(32, kernel=3x3, padding=0, activation=relu),"
                + " [1, 28, 28] -> [32, 26, 26]."), "method comment names the layer and its shapes");
        assertTrue(s.contains("private static void conv2d_1(float[] w, float[] in, float[] out, float[][] rows) {"));
        assertTrue(s.replaceAll("\\s+", " ").contains("for (int p = 0; p < 676; p++) {"
                + " acc[p] = bias + k0 * row0[p] + k1 * row1[p] + k2 * row2[p] + k3 * row3[p]; }"),
                "same-index literal-bound inner loop over the output plane, the first from the bias");
        assertTrue(s.replaceAll("\\s+", " ").contains("for (int p = 0; p < 676; p++) {"
                + " acc[p] = Math.max(acc[p] + k * row[p], 0f); }"), "the last tap's pass applies the ReLU");
        assertTrue(s.replaceAll("\\s+", " ").contains("for (int p = 0; p < 121; p++) { float u0 = x0[p]; float u1 = x1[p];"
                + " acc[p] = Math.fma(k01, u1, Math.fma(k00, u0, acc[p]));"
                + " acc1[p] = Math.fma(k11, u1, Math.fma(k10, u0, acc1[p]));"), "four channels a pass, two rows, fused");
        assertTrue(s.contains("if (FOUR_ROW_PASSES) {")
                && s.contains("private static final boolean FOUR_ROW_PASSES = Runtime.version().feature() >= 25;"),
                "four rows a pass from JDK 25");
        assertTrue(s.replaceAll("\\s+", " ").contains("for (int f = 0; f < 64; f++) {"
                + " acc[f] = acc[f] + x0 * wr0[f] + x1 * wr1[f] + x2 * wr2[f] + x3 * wr3[f]; }"),
                "a 3x3 plane runs over the 64 output channels");
        assertTrue(s.contains("conv2d_2(w, buf1, buf0, rows);"), "the layer gets the shared scratch rows");
        assertTrue(s.contains("private final float[][] rows = newRows(10, 676, 282, 121, 285, 64, 576, 9);"),
                "ragged rows: as long as the longest use of each");
        assertTrue(s.replaceAll("\\s+", " ").contains("for (int j = 0; j < 64; j++) {"
                + " acc[j] = acc[j] + x0 * wr0[j] + x1 * wr1[j] + x2 * wr2[j] + x3 * wr3[j]; }"), "dense axpy over outputs");
        assertTrue(s.contains("private final float[] buf0 = new float[21632];"));
        assertTrue(s.contains("private final float[] buf1 = new float[5408];"));
        assertTrue(!s.contains("buf2"), "a chain needs two scratch buffers");
        assertTrue(!s.contains("import dev.striate") && !s.contains("var "), "java.base only, Java 11 syntax");
    }

    @Test
    void smallKernelWindowsAreUnrolledTapByTap() {
        String s = new String(JavaBackend.generate(TestModels.mnistCnn(1).build(),
                new GenerateOptions("com.acme", "SeedCnn", false)).get(0).content(), StandardCharsets.UTF_8);
        String conv1 = s.substring(s.indexOf("private static void conv2d_1("), s.indexOf("private static void maxpool_1("));
        assertTrue(conv1.contains("{ // taps 0..3") && conv1.contains("{ // taps 4..7") && conv1.contains("{ // tap 8"),
                "the 1-channel 3x3 window is written out: " + conv1);
        assertTrue(conv1.contains("float k0 = w[wi];") && conv1.contains("float k = w[wi + 8];"), conv1);
        assertTrue(!conv1.contains("for (int r = "), "no loop over the taps of a small window");
        String conv2 = s.substring(s.indexOf("private static void conv2d_2("));
        assertTrue(conv2.contains("for (int r = 4; r < 284; r += 4)"),
                "32 channels x 3x3 taps stay a loop (its first pass, from the bias, and its last, with the ReLU, apart)");
        assertTrue(conv2.replaceAll("\\s+", " ").contains("acc[p] = Math.fma(k03, u3, Math.fma(k02, u2, Math.fma(k01, u1,"
                + " Math.fma(k00, u0, bias0))));"), "the first pass starts from the bias");
        assertTrue(conv2.replaceAll("\\s+", " ").contains("acc[p] = Math.max(Math.fma(k03, u3, Math.fma(k02, u2,"
                + " Math.fma(k01, u1, Math.fma(k00, u0, acc[p])))), 0f);"), "the last pass applies the ReLU");
    }

    @Test
    void residualBlockKeepsTheSkipValueAlive() {
        String s = new String(JavaBackend.generate(TestModels.tinyResNet(1).build(),
                new GenerateOptions("", "Res", false)).get(0).content(), StandardCharsets.UTF_8);
        assertTrue(s.contains("sum(buf0, buf1, buf2);"), s);
        assertTrue(!s.contains("buf3"));
    }

    @Test
    void twoInputsAreUnsupported() {
        GraphBuilder b = new GraphBuilder("TwoIn", 1);
        String x = b.input("a", Shape.of(4));
        String y = b.input("b", Shape.of(4));
        Graph g = b.build(b.add("s", new Add(), x, y));
        CompileException e = assertThrows(CompileException.class,
                () -> JavaBackend.generate(g, new GenerateOptions("p", "TwoIn", false)));
        assertEquals(ErrorCode.UNSUPPORTED, e.diagnostics().get(0).code());
        assertEquals("error: model TwoIn has 2 inputs; the Java backend supports models with exactly one input [E504]",
                e.getMessage());
    }

    @Test
    void twoOutputsAreUnsupported() {
        GraphBuilder b = new GraphBuilder("TwoOut", 1);
        String x = b.input(Shape.of(4));
        String d1 = b.add("d1", new Dense(2, true, Activation.IDENTITY), x);
        String d2 = b.add("d2", new Dense(3, true, Activation.IDENTITY), x);
        CompileException e = assertThrows(CompileException.class,
                () -> JavaBackend.generate(b.buildWithOutputs(d1, d2), new GenerateOptions("p", "TwoOut", false)));
        assertEquals(ErrorCode.UNSUPPORTED, e.diagnostics().get(0).code());
        assertTrue(e.getMessage().contains("has 2 outputs"), e.getMessage());
    }

    @Test
    void missingWeightsAndBadNamesAreAllReported() {
        Graph full = TestModels.leNet5(1).build();
        Map<String, dev.striate.weights.Tensor> w = new HashMap<>(full.weights());
        w.remove("c1.weight");
        w.remove("f6.bias");
        CompileException e = assertThrows(CompileException.class,
                () -> JavaBackend.generate(full.withWeights(w), new GenerateOptions("com.acme", "2bad", false)));
        assertEquals(3, e.diagnostics().size(), e.getMessage());
        assertEquals(ErrorCode.BAD_CLASS_NAME, e.diagnostics().get(0).code());
        assertEquals("test.cnn:2:1: error: no weights bound for c1.weight [E401]", e.diagnostics().get(1).format());
        assertEquals(ErrorCode.MISSING_TENSOR, e.diagnostics().get(2).code());
    }
}
