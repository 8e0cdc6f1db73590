/**
 * Classification metrics for training and {@code striate evaluate}: {@link dev.striate.train.metrics.Accuracy}
 * (arg-max predictions and their accuracy over a batch) and {@link dev.striate.train.metrics.ConfusionMatrix}
 * (counts, accuracy and per-class accuracy accumulated over a data set).
 */
package dev.striate.train.metrics;
