package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.train.Kernels;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code tanhExp} helper agrees with {@code Math.tanh} to one ulp, special values
 * exactly, and gives the same bits as the runtime's {@code Kernels.tanh} that the trainer uses.
 */
class TanhHelperTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-8f, 9.99e-5f, 1.0001e-4f, -0.5f, 1f, 8f, 9.1f, -20f, 25f,
        Float.MAX_VALUE, -Float.MAX_VALUE};

    @Test
    void matchesMathTanh() {
        int n = 4096;
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.of(n));
        Graph g = b.build(b.add("t", new Activate(Activation.TANH), x));
        var files = JavaBackend.generate(g, new GenerateOptions("t.tanh", "T", false));
        String src = new String(files.get(0).content(), StandardCharsets.UTF_8);
        assertTrue(src.contains("private static float tanhExp(float v)") && !src.contains("= (float) Math.tanh("), src);
        CompiledModel.Instance model = CompiledModel.compile(files).load();
        float[] in = new float[n];
        System.arraycopy(SPECIAL, 0, in, 0, SPECIAL.length);
        Random r = new Random(11);
        for (int i = SPECIAL.length; i < n; i++) {
            in[i] = i % 2 == 0 ? (float) (r.nextGaussian() * Math.pow(10, r.nextInt(10) - 7))
                    : Float.intBitsToFloat(r.nextInt());
        }
        float[] out = model.predict(in);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(Kernels.tanh(in[i])), Float.floatToIntBits(out[i]),
                    "generated tanhExp(" + in[i] + ") = " + out[i] + ", Kernels.tanh gives " + Kernels.tanh(in[i]));
            float want = (float) Math.tanh(in[i]);
            if (i < SPECIAL.length || Float.isNaN(want)) {
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[i]), "tanh(" + in[i] + ")");
            } else {
                assertTrue(Math.abs(want - out[i]) <= Math.ulp(want), "tanh(" + in[i] + ") = " + out[i] + ", want " + want);
            }
        }
    }
}
