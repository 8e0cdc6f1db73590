package dev.striate.spark;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * Scores one value with one instance of a generated classifier: the outputs (probabilities for
 * a model ending in softmax), the index of the largest (the first of equal ones, as the class's
 * {@code topK}) and its label. Holds the instance, so one scorer serves one thread; the model
 * class and its weights are looked up once per JVM ({@link ModelClass}).
 */
final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String className;
    private transient ModelClass model;
    private transient UnaryOperator<float[]> instance;

    /** The result of one value. */
    record Result(String label, int index, float[] probabilities) {
    }

    Scorer(String className) {
        this.className = className;
    }

    /** Checks on the driver, before any job, that the class is a generated classifier (E801). */
    Scorer check() {
        model();
        return this;
    }

    ModelClass model() {
        if (model == null) {
            model = ModelClass.of(className);
        }
        return model;
    }

    /** Scores {@code value}: image bytes ({@code image}, named {@code name} in errors) or an array. */
    Result score(Object value, boolean image, String name) {
        ModelClass m = model();
        if (instance == null) {
            instance = m.newInstance();
        }
        float[] out;
        if (image) {
            float[] pixels = Inputs.image((byte[]) value, name, m.channels, m.height, m.width);
            out = m.predictPixels(instance, pixels);
        } else {
            out = instance.apply(Inputs.array(value, m.inputSize));
        }
        int best = 0;
        for (int k = 1; k < out.length; k++) {
            if (out[k] > out[best]) {
                best = k;
            }
        }
        return new Result(m.label(best), best, out);
    }
}
