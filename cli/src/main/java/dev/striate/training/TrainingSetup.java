package dev.striate.training;

import dev.striate.data.Dataset;
import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.passes.InitWeights;
import dev.striate.train.Loss;
import dev.striate.train.StopSignal;
import dev.striate.train.Targets;
import dev.striate.train.TrainingConfig;
import dev.striate.train.loss.Losses;
import dev.striate.train.loss.SoftmaxCrossEntropy;

/**
 * Maps {@link TrainSettings} and {@link RunOptions} to the runtime's {@link TrainingConfig}, loss
 * and targets. A value the runtime rejects (e.g. a normalization with the wrong number of
 * channels) is reported at the train block.
 */
public final class TrainingSetup {
    private TrainingSetup() {
    }

    /** The loss the settings name. */
    public static Loss loss(TrainSettings settings) {
        return Losses.byName(settings.loss()).orElseThrow(() -> new IllegalStateException(settings.loss()));
    }

    /** Class indices for softmax cross-entropy, one-hot rows for the other losses. */
    public static Targets targets(Loss loss) {
        return loss instanceof SoftmaxCrossEntropy ? Targets.LABELS : Targets.ONE_HOT;
    }

    /** Images when the settings train image to image ({@code target = image}), else as {@link #targets(Loss)}. */
    public static Targets targets(TrainSettings settings) {
        return settings.imageTargets() != null ? Targets.IMAGES : targets(loss(settings));
    }

    /** The data normalization for {@code train}, or null; a mismatch with the data is a diagnostic at {@code pos}. */
    public static Normalization normalization(TrainSettings settings, Dataset train, SourcePos pos) {
        try {
            return settings.normalize().build(train, train.shape().channels());
        } catch (IllegalArgumentException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.BAD_VALUE, pos, "normalize: " + e.getMessage()));
        }
    }

    /**
     * The normalization training applied, as the weights bound to {@code bound} record it, or,
     * when they record none, the one {@code settings} give for {@code train}.
     */
    public static Normalization normalization(Graph bound, TrainSettings settings, Dataset train, SourcePos pos) {
        Normalize recorded = bound.pixelNormalization();
        if (recorded == null) {
            return normalization(settings, train, pos);
        }
        double[] mean = new double[recorded.mean().size()];
        double[] std = new double[recorded.std().size()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = recorded.mean().get(c);
            std[c] = recorded.std().get(c);
        }
        return Normalization.of(mean, std);
    }

    /** The training configuration. */
    public static TrainingConfig config(TrainSettings s, Normalization normalization, RunOptions run, StopSignal stop,
            SourcePos pos) {
        try {
            TrainingConfig.Builder b = TrainingConfig.builder()
                    .epochs(s.epochs())
                    .batchSize(s.batch())
                    .optimizer(s.optimizer().supplier(s.l1(), s.l2()))
                    .kernelL2(s.kernelL2())
                    .schedule(s.schedule().kind() == ScheduleSpec.Kind.CONSTANT ? null
                            : s.schedule().build(s.optimizer().lr(), s.epochs()))
                    .warmup(s.warmupEpochs(), s.warmupStartFactor())
                    .seed(s.seed())
                    .threads(run.threads())
                    .slices(run.slices())
                    .validationFraction(s.validation())
                    .augmentation(s.augment())
                    .normalization(normalization)
                    .logFile(run.logFile())
                    .checkpointDir(run.checkpointDir())
                    .resume(run.resume())
                    .targets(targets(loss(s)))
                    .progress(run.progress())
                    .progressMode(run.progressMode())
                    .stop(stop)
                    .epochListener(run.afterEpoch());
            if (s.imageTargets() != null) {
                b.imageTargets(s.imageTargets());
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.BAD_VALUE, pos, e.getMessage()));
        }
    }

    /** One line describing the recipe, e.g. {@code rmsprop(lr=0.001), batch 64, 5 epochs, crossentropy}. */
    public static String describe(TrainSettings s) {
        StringBuilder sb = new StringBuilder(s.optimizer().describe()).append(", batch ").append(s.batch())
                .append(", ").append(s.epochs()).append(s.epochs() == 1 ? " epoch, " : " epochs, ").append(s.loss());
        if (s.schedule().kind() != ScheduleSpec.Kind.CONSTANT) {
            sb.append(", ").append(s.schedule().kind().name().toLowerCase(java.util.Locale.ROOT)).append(" schedule");
            if (s.schedule().kind() == ScheduleSpec.Kind.SNAPSHOT) {
                sb.append(" (").append(s.schedule().cycles()).append(" cycles)");
            }
        }
        if (s.warmupEpochs() > 0) {
            sb.append(", warm-up ").append(s.warmupEpochs());
        }
        if (s.l1() > 0) {
            sb.append(", l1 ").append(OptimizerSpec.num(s.l1()));
        }
        if (s.kernelL2() > 0) {
            sb.append(", kernel_l2 ").append(OptimizerSpec.num(s.kernelL2()));
        }
        if (s.init() != InitWeights.KernelInit.AUTO) {
            sb.append(", init ").append(s.init().id());
        }
        if (s.l2() > 0) {
            sb.append(", l2 ").append(OptimizerSpec.num(s.l2()));
        }
        if (s.validation() > 0) {
            sb.append(", validation ").append(OptimizerSpec.num(s.validation()));
        }
        if (!s.augment().isNone()) {
            sb.append(", augment ").append(s.augment());
        }
        if (s.imageTargets() != null) {
            sb.append(", target ").append(s.imageTargets());
        }
        if (s.normalize().kind() != NormalizeSpec.Kind.NONE) {
            sb.append(", normalize ").append(s.normalize().kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(", seed ").append(s.seed()).toString();
    }
}
