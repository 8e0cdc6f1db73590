/**
 * Training: the contract a generated trainer class implements ({@link dev.striate.train.TrainableModel},
 * {@link dev.striate.train.Loss}) and the model-independent loop around it.
 *
 * <p>{@link dev.striate.train.Trainer} runs epochs of seeded mini-batches configured by
 * {@link dev.striate.train.TrainingConfig}: each batch is cut into fixed slices, one model worker
 * per slice, run on the calling thread and a small fixed pool; the slices' gradients are summed
 * in slice order so a seeded run is bit-for-bit reproducible on any number of threads. After each
 * epoch it validates, logs ({@link dev.striate.train.TrainingLog}), and writes a
 * {@link dev.striate.train.Checkpoint} atomically ({@link dev.striate.train.CheckpointFile}) that
 * {@code resume} continues from to the same final weights; a {@link dev.striate.train.StopSignal}
 * (Ctrl-C) stops at a batch boundary with a checkpoint. {@link dev.striate.train.Evaluator}
 * reports accuracy, per-class accuracy and a {@link dev.striate.train.ConfusionMatrix}.
 */
package dev.striate.train;
