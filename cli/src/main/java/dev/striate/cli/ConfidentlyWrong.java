package dev.striate.cli;

import dev.striate.train.Evaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects, while a test set is evaluated, the images the model got wrong with the probability
 * it gave its (wrong) prediction: the outputs themselves when the model ends in softmax, their
 * softmax otherwise. {@link #top} gives the most confident first, ties by lower index. The
 * prediction is the class the evaluation counts (the first largest output).
 */
final class ConfidentlyWrong implements Evaluator.OutputListener {
    /** One wrong image. */
    record Entry(int index, int actual, int predicted, double confidence) {
    }

    private final boolean probabilities;
    private final List<Entry> wrong = new ArrayList<>();

    /** @param probabilities whether the outputs are already probabilities (the model ends in softmax) */
    ConfidentlyWrong(boolean probabilities) {
        this.probabilities = probabilities;
    }

    @Override
    public void accept(int index, int label, float[] outputs, int offset, int k) {
        int predicted = EvaluateCommand.argmax(outputs, offset, k);
        if (predicted != label) {
            wrong.add(new Entry(index, label, predicted, probability(outputs, offset, k, predicted)));
        }
    }

    private double probability(float[] outputs, int offset, int k, int c) {
        if (probabilities) {
            return outputs[offset + c];
        }
        double max = outputs[offset + c];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(outputs[offset + j] - max);
        }
        return 1 / sum;
    }

    /** How many images were wrong. */
    int count() {
        return wrong.size();
    }

    /** The {@code n} most confidently wrong images, most confident first. */
    List<Entry> top(int n) {
        return wrong.stream().sorted(Comparator.comparingDouble(Entry::confidence).reversed()
                .thenComparingInt(Entry::index)).limit(n).toList();
    }
}
