package dev.striate.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tensors of one weights file, in file order, with the model name the file declares. */
public record WeightSet(String modelName, Map<String, Tensor> tensors) {
    public WeightSet {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public static WeightSet of(String modelName, List<Tensor> list) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : list) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
        }
        return new WeightSet(modelName, m);
    }
}
