package dev.striate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The ensemble the plugin's {@code <ensembles>} configures (the Keras MNIST CNN twice, weighted 3:1) is
 * generated through Maven's configuration mapping and averages its members: both members are the same
 * model, so the ensemble gives the model's own outputs (within float rounding) and agrees with PyTorch.
 */
class EnsembleTest {
    @Test
    void theEnsembleOfOneModelTwiceIsThatModel() {
        UnaryOperator<float[]> pair = MnistPair.load();
        MnistCnn single = MnistCnn.load();
        Random r = new Random(3);
        for (int t = 0; t < 3; t++) {
            float[] x = new float[MnistPair.INPUT_SIZE];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(256);
            }
            float[] expected = single.predict(x);
            float[] got = pair.apply(x);
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], got[k], 1e-6, "class " + k);
            }
            List<Map.Entry<String, Float>> top = MnistPair.load().topK(x, 1);
            assertEquals(MnistCnn.label(single.classify(x)), top.get(0).getKey());
        }
    }

    @Test
    void theEnsembleAgreesWithPyTorch() {
        Golden.load("mnist_cnn").check(MnistPair.load()::predict);
    }
}
