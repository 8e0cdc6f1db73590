package dev.striate.weights;

import dev.striate.data.Normalization;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of one weights file, in file order, with the model name the file declares and the
 * class labels it records (empty when it records none): {@code striate train} on an image folder
 * writes the class folders' names, in output order, so that a model without declared labels
 * compiles to a class that knows them. A training run whose train block normalizes the data also
 * records that normalization (applied to pixel values {@code 0..255}), so that the compiled class
 * can apply it to pixels exactly as training did.
 *
 * @param modelName the model the weights were made for
 * @param tensors the tensors by name, in file order
 * @param labels the class labels in output order, or empty
 * @param normalization the normalization training applied to pixel values, or null for none
 */
public record WeightSet(String modelName, Map<String, Tensor> tensors, List<String> labels,
                        Normalization normalization) {
    /** Copies the map and the labels. */
    public WeightSet {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        labels = List.copyOf(labels);
    }

    /** A weight set without labels or normalization. */
    public WeightSet(String modelName, Map<String, Tensor> tensors) {
        this(modelName, tensors, List.of(), null);
    }

    /** A weight set without labels, from a list of uniquely named tensors. */
    public static WeightSet of(String modelName, List<Tensor> list) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : list) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
        }
        return new WeightSet(modelName, m);
    }

    /** The same tensors recording {@code newLabels} (empty: none). */
    public WeightSet withLabels(List<String> newLabels) {
        return new WeightSet(modelName, tensors, newLabels, normalization);
    }

    /** The same tensors recording {@code newNormalization} (null: none). */
    public WeightSet withNormalization(Normalization newNormalization) {
        return new WeightSet(modelName, tensors, labels, newNormalization);
    }
}
