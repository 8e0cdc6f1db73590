package dev.striate.training;

import dev.striate.Compiler;
import dev.striate.backend.train.TrainerBackend;
import dev.striate.backend.train.TrainerOptions;
import dev.striate.data.Dataset;
import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import dev.striate.train.Evaluation;
import dev.striate.train.Evaluator;
import dev.striate.train.Loss;
import dev.striate.train.StopSignal;
import dev.striate.train.TrainableModel;
import dev.striate.train.Trainer;
import dev.striate.train.TrainingException;
import dev.striate.train.TrainingResult;
import dev.striate.train.loss.MeanSquaredError;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One training run, as {@code striate train} does it: seeded (or given) initial weights bound to
 * the graph, the generated trainer compiled and loaded in-process, the runtime's {@link Trainer}
 * run with a Ctrl-C hook (a {@link StopSignal} that saves a checkpoint), and the weights written.
 * Problems the user can fix ({@link TrainingException}, unreadable data or weights) become
 * {@link CompileException}s.
 */
public final class TrainingRun {
    /** How long a Ctrl-C waits for the loop to save its checkpoint. */
    private static final long STOP_WAIT_MILLIS = 60_000;

    private TrainingRun() {
    }

    /**
     * The trained model and what the loop reported.
     *
     * @param model the model, trained in place
     * @param result the loop's history and whether it stopped early
     */
    public record Outcome(TrainableModel model, TrainingResult result) {
    }

    /**
     * The generated trainer for {@code graph} with weights bound: logits out (a final softmax or
     * sigmoid dropped) for the losses that fuse it, the model's own outputs for MSE.
     */
    public static TrainableModel load(Graph bound, Loss loss) {
        return TrainerBackend.load(bound, trainerOptions(loss));
    }

    /** The trainer's options for {@code loss}: logits out unless the loss is MSE. */
    static TrainerOptions trainerOptions(Loss loss) {
        return loss instanceof MeanSquaredError ? new TrainerOptions(false, false) : TrainerOptions.DEFAULT;
    }

    /**
     * Trains {@code recipe}'s model with {@code settings} on {@code data.train()}, stopping early
     * with a checkpoint when {@code stop} is requested; refuses a loss that does not fit the model's
     * final activation ({@link ModelRecipe#checkTraining}). {@code initialWeights} (null: seeded ones) is read
     * within {@code readLimits}. The caller installs {@code stop}'s shutdown
     * hook (see {@link #installStopHook}) and uninstalls it after its last output.
     */
    public static Outcome run(ModelRecipe recipe, TrainSettings settings, Path initialWeights,
            WeightsFile.ReadLimits readLimits, DataSource data, Normalization normalization, RunOptions run,
            StopSignal stop, SourcePos pos) throws IOException {
        recipe.checkTraining(settings);
        TrainChecks.checkTargetRange(settings.imageTargets(), settings.loss(), normalization,
                recipe.targetPos() != null ? recipe.targetPos() : pos);
        Graph graph = recipe.graph();
        Diagnostics diagnostics = new Diagnostics();
        Graph bound;
        if (initialWeights != null) {
            bound = Compiler.bindWeights(graph, initialWeights, readLimits, diagnostics);
        } else {
            WeightSet seeded = InitWeights.run(graph, settings.seed(), settings.init());
            bound = BindWeights.run(graph, seeded, pos, diagnostics);
            diagnostics.throwIfErrors();
        }
        Loss loss = TrainingSetup.loss(settings);
        TrainableModel model = load(bound, loss);
        Trainer trainer = new Trainer(model, loss, TrainingSetup.config(settings, normalization, run, stop, pos));
        try {
            return new Outcome(model, trainer.train(data.train()));
        } catch (TrainingException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, e.getMessage()));
        }
    }

    /**
     * A stop signal whose JVM shutdown hook (Ctrl-C, SIGTERM) asks the loop to stop and waits, up
     * to a minute, for the checkpoint and until {@link StopSignal#uninstallShutdownHook()} is called.
     */
    public static StopSignal installStopHook() {
        StopSignal stop = new StopSignal();
        stop.installShutdownHook(STOP_WAIT_MILLIS);
        return stop;
    }

    /**
     * Writes the model's weights to {@code manifest} (its blob beside it), recording
     * {@code labels} (empty: none), the class of each output, and {@code normalization} (null:
     * none), what training did to the pixels, so that compile can emit them.
     */
    public static void write(TrainableModel model, Path manifest, List<String> labels, Normalization normalization) {
        try {
            WeightsFile.write(manifest, Trainer.weights(model).withLabels(labels).withNormalization(normalization));
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(manifest.toString(), 0, 0),
                    "cannot write: " + e.getMessage()));
        }
    }

    /**
     * Evaluates the class {@code striate compile} writes for {@code bound} on {@code test}: each of
     * {@code threads} threads runs its own instance's {@code predict}, one image at a time; the loss
     * is the training loss on the class's outputs ({@link ShippedClass#lossOnOutputs}). {@code listener}
     * (null for none) receives each image's outputs.
     */
    public static Evaluation evaluate(ShippedClass shipped, Graph bound, Dataset test, Normalization normalization,
            TrainSettings settings, int threads, Evaluator.OutputListener listener) {
        Loss loss = TrainingSetup.loss(settings);
        int inputSize = bound.inputs().get(0).shape().size();
        int outputSize = bound.node(bound.outputs().get(0)).shape().size();
        return evaluate(Evaluator.ofPredictors(bound.name(), inputSize, outputSize, shipped::newInstance, 250, threads),
                test, normalization, shipped.lossOnOutputs(loss), settings, listener);
    }

    /** Evaluates the trainer {@code model} on {@code test} in inference mode. */
    public static Evaluation evaluate(TrainableModel model, Dataset test, Normalization normalization,
            TrainSettings settings, int threads) {
        Loss loss = TrainingSetup.loss(settings);
        return evaluate(new Evaluator(model, 250, threads), test, normalization, loss, settings, null);
    }

    private static Evaluation evaluate(Evaluator evaluator, Dataset test, Normalization normalization, Loss loss,
            TrainSettings settings, Evaluator.OutputListener listener) {
        try (evaluator) {
            return evaluator.evaluate(test, normalization, loss, TrainingSetup.targets(settings), listener,
                    settings.imageTargets(), settings.seed());
        } catch (TrainingException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos("data", 0, 0), e.getMessage()));
        }
    }
}
