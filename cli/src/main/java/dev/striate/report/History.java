package dev.striate.report;

import java.util.List;

/**
 * A training run's per-epoch history as {@code striate train --log} writes it: the training loss
 * and accuracy of each epoch and, when the run held out a validation split, the validation ones.
 * A missing value is NaN. The test set has no place here: a history that chose epochs by test
 * accuracy would leak the test set into model selection, so test columns are never read.
 *
 * @param source the file it was read from, for titles and messages
 * @param epochs the epochs in increasing order, at least one
 */
public record History(String source, List<Epoch> epochs) {

    /** One epoch's row. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy) {
    }

    public History {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a history needs at least one epoch");
        }
    }

    /** Whether any epoch has a validation loss or accuracy. */
    public boolean hasValidation() {
        return epochs.stream().anyMatch(e -> !Double.isNaN(e.valLoss()) || !Double.isNaN(e.valAccuracy()));
    }
}
