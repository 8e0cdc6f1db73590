package dev.striate.training;

import dev.striate.data.Augmentation;
import dev.striate.passes.InitWeights;
import dev.striate.train.ImageTargets;

/**
 * The training recipe of a model: what its {@code train} block says, with defaults for what it
 * does not say, before command-line flags override it. See {@code docs/training.md} for the
 * settings.
 *
 * @param loss the loss name ({@link dev.striate.train.loss.Losses#byName})
 * @param optimizer the optimizer
 * @param batch images per mini-batch
 * @param epochs epochs to train
 * @param schedule the learning-rate schedule
 * @param warmupEpochs epochs of linear warm-up (0 for none)
 * @param warmupStartFactor the warm-up's first factor of the base rate
 * @param l1 the L1 penalty
 * @param l2 the L2 penalty (weight decay); 0 keeps the optimizer's {@code weight_decay}
 * @param seed seeds initialization, shuffling, augmentation, the validation split and dropout
 * @param validation the fraction of the training data held out for validation
 * @param augment training-image augmentation
 * @param normalize data normalization outside the model
 * @param init the initializer of every kernel ({@code init = glorot_uniform} ...)
 * @param kernelL2 Keras-style L2 on kernels only ({@code kernel_l2}), 0 for none
 * @param imageTargets image-to-image training ({@code target = image}, {@code noise}), null for class labels
 */
public record TrainSettings(String loss, OptimizerSpec optimizer, int batch, int epochs, ScheduleSpec schedule,
        int warmupEpochs, double warmupStartFactor, double l1, double l2, long seed, double validation,
        Augmentation augment, NormalizeSpec normalize, InitWeights.KernelInit init, double kernelL2,
        ImageTargets imageTargets) {

    /**
     * Without a train block: softmax cross-entropy, Adam (lr 0.001), batch 32, 1 epoch, constant
     * rate, no regularization, seed 0, no validation, no augmentation, no normalization.
     */
    public static final TrainSettings DEFAULTS = new TrainSettings("crossentropy",
            OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.001), 32, 1, ScheduleSpec.CONSTANT, 0, 1.0 / 3, 0, 0,
            0, 0, Augmentation.NONE, NormalizeSpec.NONE,
            InitWeights.KernelInit.AUTO, 0, null);

    /** A copy with another optimizer. */
    public TrainSettings withOptimizer(OptimizerSpec o) {
        return new TrainSettings(loss, o, batch, epochs, schedule, warmupEpochs, warmupStartFactor, l1, l2, seed,
                validation, augment, normalize, init, kernelL2, imageTargets);
    }

    /** A copy with another loss. */
    public TrainSettings withLoss(String l) {
        return new TrainSettings(l, optimizer, batch, epochs, schedule, warmupEpochs, warmupStartFactor, l1, l2, seed,
                validation, augment, normalize, init, kernelL2, imageTargets);
    }

    /** A copy with another batch size. */
    public TrainSettings withBatch(int b) {
        return new TrainSettings(loss, optimizer, b, epochs, schedule, warmupEpochs, warmupStartFactor, l1, l2, seed,
                validation, augment, normalize, init, kernelL2, imageTargets);
    }

    /** A copy with another epoch count. */
    public TrainSettings withEpochs(int e) {
        return new TrainSettings(loss, optimizer, batch, e, schedule, warmupEpochs, warmupStartFactor, l1, l2, seed,
                validation, augment, normalize, init, kernelL2, imageTargets);
    }

    /** A copy with another seed. */
    public TrainSettings withSeed(long s) {
        return new TrainSettings(loss, optimizer, batch, epochs, schedule, warmupEpochs, warmupStartFactor, l1, l2, s,
                validation, augment, normalize, init, kernelL2, imageTargets);
    }

    /** A copy with another validation fraction. */
    public TrainSettings withValidation(double v) {
        return new TrainSettings(loss, optimizer, batch, epochs, schedule, warmupEpochs, warmupStartFactor, l1, l2, seed,
                v, augment, normalize, init, kernelL2, imageTargets);
    }
}
