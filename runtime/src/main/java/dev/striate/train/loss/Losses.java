package dev.striate.train.loss;

import dev.striate.train.Loss;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The losses by the names a {@code train} block or the command line may use ({@code loss = crossentropy}). */
public final class Losses {

    /** Every accepted name, the preferred one of each loss first. */
    public static final List<String> NAMES = List.of(
            "crossentropy", "softmax_cross_entropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
            "binary_crossentropy", "sigmoid_binary_cross_entropy", "bce",
            "mse", "mean_squared_error");

    private Losses() {
    }

    /** The loss called {@code name} (case-insensitive), or empty when no loss has that name. */
    public static Optional<Loss> byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "crossentropy":
            case "softmax_cross_entropy":
            case "categorical_crossentropy":
            case "sparse_categorical_crossentropy":
                return Optional.of(new SoftmaxCrossEntropy());
            case "binary_crossentropy":
            case "sigmoid_binary_cross_entropy":
            case "bce":
                return Optional.of(new SigmoidBinaryCrossEntropy());
            case "mse":
            case "mean_squared_error":
                return Optional.of(new MeanSquaredError());
            default:
                return Optional.empty();
        }
    }
}
