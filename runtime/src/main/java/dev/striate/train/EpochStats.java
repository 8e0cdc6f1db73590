package dev.striate.train;

/**
 * The numbers of one finished epoch, as logged and printed.
 *
 * @param epoch the epoch, counted from 1
 * @param lr the learning rate used during the epoch
 * @param trainLoss the mean training loss over the epoch's images (training-mode outputs)
 * @param trainAccuracy the fraction of training images classified correctly while training
 * @param valLoss the mean validation loss, or NaN without a validation set
 * @param valAccuracy the validation accuracy, or NaN without a validation set
 * @param seconds the wall-clock time of the epoch including validation
 * @param imagesPerSecond training images per second (training only, not validation)
 */
public record EpochStats(int epoch, double lr, double trainLoss, double trainAccuracy, double valLoss,
        double valAccuracy, double seconds, double imagesPerSecond) {

    /** Whether the epoch had validation numbers. */
    public boolean hasValidation() {
        return !Double.isNaN(valAccuracy);
    }
}
