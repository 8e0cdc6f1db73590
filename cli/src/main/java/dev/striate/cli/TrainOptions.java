package dev.striate.cli;

import dev.striate.training.OptimizerSpec;
import dev.striate.training.TrainSettings;
import dev.striate.train.loss.Losses;
import picocli.CommandLine.Option;

/** The {@code striate train} options that override the model's {@code train} block, and {@code --data}. */
public final class TrainOptions {
    @Option(names = {"-d", "--data"}, paramLabel = "mnist|fashion-mnist|DIR", required = true,
            description = "The data: 'mnist', 'fashion-mnist' or a folder (IDX files or an image folder).")
    String data;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (overrides the train block).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch (overrides the train block).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (overrides the train block).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd, adagrad, rmsprop or adam with PyTorch's defaults (overrides the train block's; "
                    + "the block's arguments are kept when it names the same optimizer).")
    String optimizer;

    @Option(names = "--loss", paramLabel = "NAME", description = "crossentropy, binary_crossentropy or mse.")
    String loss;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of initialization, shuffling, augmentation and dropout.")
    Long seed;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "Hold out this fraction of the training data for validation, in [0, 1).")
    Double validation;

    /** {@code settings} with every given option applied; a bad value is a usage error. */
    TrainSettings apply(TrainSettings settings) {
        TrainSettings s = settings;
        if (optimizer != null) {
            OptimizerSpec.Kind kind = OptimizerSpec.Kind.byName(optimizer);
            if (kind == null) {
                throw new IllegalArgumentException("--optimizer: unknown optimizer '" + optimizer + "' (optimizers: "
                        + String.join(", ", OptimizerSpec.Kind.names()) + ")");
            }
            if (kind != s.optimizer().kind()) {
                if (Double.isNaN(kind.defaultLr()) && lr == null) {
                    throw new IllegalArgumentException("--optimizer sgd needs --lr (SGD has no default learning rate)");
                }
                s = s.withOptimizer(OptimizerSpec.defaults(kind, Double.isNaN(kind.defaultLr()) ? 0.01 : kind.defaultLr()));
            }
        }
        if (lr != null) {
            check(lr > 0 && Double.isFinite(lr), "--lr must be > 0, got " + lr);
            s = s.withOptimizer(s.optimizer().withLr(lr));
        }
        if (loss != null) {
            check(Losses.byName(loss).isPresent(), "--loss: unknown loss '" + loss
                    + "' (losses: crossentropy, binary_crossentropy, mse)");
            s = s.withLoss(loss);
        }
        if (epochs != null) {
            check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
            s = s.withEpochs(epochs);
        }
        if (batch != null) {
            check(batch >= 1, "--batch must be at least 1, got " + batch);
            s = s.withBatch(batch);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (validation != null) {
            check(validation >= 0 && validation < 1, "--validation must be in [0, 1), got " + validation);
            s = s.withValidation(validation);
        }
        return s;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
