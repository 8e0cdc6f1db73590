package dev.striate.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.train.Loss;
import dev.striate.train.Predictor;
import dev.striate.train.loss.SigmoidBinaryCrossEntropy;
import dev.striate.train.loss.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

/** The in-process class: its predictions, and the training loss taken on its outputs. */
class ShippedClassTest {
    @Test
    void theLossOnSoftmaxProbabilitiesIsTheLossOnTheLogits() {
        float[] logits = {2f, -1f, 0.5f, -3f, 4f, 1f};
        float[] probabilities = new float[6];
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += Math.exp(logits[i * 3 + j]);
            }
            for (int j = 0; j < 3; j++) {
                probabilities[i * 3 + j] = (float) (Math.exp(logits[i * 3 + j]) / sum);
            }
        }
        Loss ce = new SoftmaxCrossEntropy();
        Loss onOutputs = shipped("softmax").lossOnOutputs(ce);
        int[] labels = {2, 0};
        double expected = ce.forwardBackward(logits, labels, null, 2, 3, new float[6]);
        assertEquals(expected, onOutputs.forwardBackward(probabilities, labels, null, 2, 3, new float[6]), 1e-6);
    }

    @Test
    void theLossOnSigmoidProbabilitiesIsTheLossOnTheLogits() {
        float[] logits = {2f, -1f, 0.5f};
        float[] probabilities = new float[3];
        for (int i = 0; i < 3; i++) {
            probabilities[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        float[] targets = {1f, 0f, 0f};
        Loss bce = new SigmoidBinaryCrossEntropy();
        double expected = bce.forwardBackward(logits, null, targets, 1, 3, new float[3]);
        assertEquals(expected, shipped("sigmoid").lossOnOutputs(bce)
                .forwardBackward(probabilities, null, targets, 1, 3, new float[3]), 1e-6);
    }

    @Test
    void predictsWhatTheModelComputes() {
        Predictor p = shipped("softmax").newInstance();
        float[] out = new float[3];
        p.predict(new float[] {1f, 2f, 3f, 4f}, out);
        assertEquals(1.0, out[0] + out[1] + out[2], 1e-6);
    }

    private static ShippedClass shipped(String activation) {
        String source = "model M {\n    input x: [4]\n    dense(3, activation=" + activation + ")\n}\n";
        Diagnostics d = new Diagnostics();
        Graph graph = Frontend.parse(source, "m.cnn").model("M", d);
        Graph bound = BindWeights.run(graph, InitWeights.run(graph, 3), SourcePos.NONE, d);
        d.throwIfErrors();
        return ShippedClass.compile(bound);
    }
}
