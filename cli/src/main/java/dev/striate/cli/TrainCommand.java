package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.data.Normalization;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.optim.schedule.SnapshotSchedule;
import dev.striate.train.StopSignal;
import dev.striate.train.TrainingConfig;
import dev.striate.train.VectorModule;
import dev.striate.training.DataSource;
import dev.striate.training.ModelRecipe;
import dev.striate.training.RunOptions;
import dev.striate.training.ScheduleSpec;
import dev.striate.training.TrainSettings;
import dev.striate.training.TrainingRun;
import dev.striate.training.TrainingSetup;
import dev.striate.weights.WeightsFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code striate train}: reads a model and its {@code train} block, lets flags override the
 * block, compiles the generated trainer in-process, trains (progress, log, checkpoints, Ctrl-C
 * saves a checkpoint) and writes the trained weights in Striate's format.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = "Trains a model on MNIST or a folder of data and writes its weights "
                + "(default: MODEL.weights.json beside the model file; an existing file is replaced only with --force). "
                + "The model's train block gives the recipe; the options below override it. "
                + "A checkpoint is saved after every epoch and on Ctrl-C; --resume continues from it.",
        footerHeading = "%nExamples:%n",
        footer = {"  striate train examples/mnist/seed_cnn.cnn --data mnist --out w.weights.json",
                "  striate train examples/mnist/lenet5.cnn --data mnist --epochs 10 --force",
                "  striate train model.cnn --data images/ --out w.weights.json --log train.csv",
                "  striate train model.cnn --data mnist --resume       (after Ctrl-C)",
                "",
                "Data: 'mnist' (fetch it first with 'striate data mnist'); a folder with IDX",
                "files named as MNIST's (train-images-idx3-ubyte, train-labels-idx1-ubyte,",
                "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte); or an image folder with",
                "train/ and test/ (or just the class folders), one subfolder per class."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model;

    @Mixin
    TrainOptions options;

    @Option(names = {"-o", "--out"}, paramLabel = "W.weights.json",
            description = "Where to write the trained weights (default: MODEL.weights.json beside the model file).")
    Path out;

    @Option(names = {"-f", "--force"}, description = "Replace an existing weights file.")
    boolean force;

    @Option(names = {"-w", "--weights"}, paramLabel = "W.weights.json",
            description = "Start from these weights instead of seeded random ones (fine-tuning).")
    Path initial;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where checkpoints go (default: OUT's name with .checkpoint, beside it).")
    Path checkpointDir;

    @Option(names = "--no-checkpoint", description = "Do not write checkpoints (Ctrl-C then loses the run).")
    boolean noCheckpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint of an interrupted run "
            + "(same model, data and options); gives the same weights as an uninterrupted run.")
    boolean resume;

    @Option(names = "--log", paramLabel = "FILE.csv",
            description = "Write a CSV log of every epoch (and JSON lines beside it, .jsonl).")
    Path log;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Worker threads (default: ${DEFAULT-VALUE}). The results do not depend on it.")
    int threads;

    @Option(names = "--slices", paramLabel = "N", defaultValue = "2",
            description = "Parts each batch is split into, summed in order (default: ${DEFAULT-VALUE}); "
                    + "the numbers depend on it, so keep it to reproduce a run.")
    int slices;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress output: auto, terminal, lines or summary (default: ${DEFAULT-VALUE}).")
    TrainingConfig.ProgressMode progress;

    @Option(names = "--no-test", description = "Do not evaluate on the test set after training.")
    boolean noTest;

    /** Where the weights go. */
    Path output() {
        return out != null ? out : WeightsOption.besideModel(model.source());
    }

    /** The checkpoint folder, or null when switched off. */
    Path checkpoints() {
        if (noCheckpoint) {
            return null;
        }
        if (checkpointDir != null) {
            return checkpointDir;
        }
        Path o = output().toAbsolutePath();
        String name = o.getFileName().toString();
        String stem = name.endsWith(".weights.json") ? name.substring(0, name.length() - ".weights.json".length())
                : name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return o.resolveSibling(stem + ".checkpoint");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        if (threads < 1 || slices < 1) {
            throw usage("--threads and --slices must be at least 1");
        }
        if (resume && noCheckpoint) {
            throw usage("--resume needs checkpoints; drop --no-checkpoint");
        }
        Path weightsOut = output();
        if (Files.exists(weightsOut) && !force && !resume) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(weightsOut.toString(), 0, 0),
                    "already exists; pass --force to replace it (or --out to write elsewhere)"));
        }
        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(model.source(), model.modelName(), model.limits(), diagnostics);
        Reports.warnings(diagnostics, err);
        TrainSettings settings;
        try {
            settings = options.apply(recipe.settings());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        recipe.checkTraining(settings);
        DataSource data = DataSource.load(options.data, recipe.inputShape(), recipe.classes(),
                classLabels(recipe), DataSource.Use.TRAIN);
        Normalization normalization = TrainingSetup.normalization(settings, data.train(), recipe.blockPos());
        RunOptions run = new RunOptions(threads, slices, log, checkpoints(), resume, WriterStream.of(err), progress,
                snapshots(settings, weightsOut, data.recordedLabels(), normalization, o));
        o.println("training " + recipe.graph().name() + " on " + data.description() + " ("
                + Reports.count(data.train().size()) + " images): " + TrainingSetup.describe(settings));
        o.println("threads " + threads + ", " + slices + " slices per batch, matrix kernel: " + VectorModule.describe());
        o.flush();
        StopSignal stop = TrainingRun.installStopHook();
        try {
            TrainingRun.Outcome outcome = TrainingRun.run(recipe, settings, initial,
                    WeightsFile.ReadLimits.of(model.limits().maxWeightsBytes()), data, normalization, run, stop,
                    recipe.blockPos());
            if (outcome.result().stopped()) {
                err.println("training stopped before the end; weights not written. Continue with --resume.");
                err.flush();
                return ExitCodes.USER_ERROR;
            }
            TrainingRun.write(outcome.model(), weightsOut, data.recordedLabels(), normalization);
            o.println("wrote " + weightsOut);
            if (!noTest && data.test() != null) {
                o.println("test " + TrainingRun.evaluate(outcome.model(), data.test(), normalization, settings, threads)
                        .report().lines().findFirst().orElse(""));
            }
            o.flush();
            return ExitCodes.OK;
        } finally {
            // after the last output: a Ctrl-C hook waiting for it lets the JVM exit now
            stop.uninstallShutdownHook();
        }
    }

    /**
     * With {@code schedule = snapshot(cycles=M)}: writes the weights at the end of each cycle (and after the
     * last epoch when it ends none) as {@code NAME.snapshot-K.weights.json} beside {@code out}, K from 1.
     */
    private static TrainingConfig.EpochListener snapshots(TrainSettings settings, Path out, List<String> labels,
            Normalization normalization, PrintWriter o) {
        if (settings.schedule().kind() != ScheduleSpec.Kind.SNAPSHOT
                || settings.schedule().cycles() > settings.epochs()) {
            return null; // (too many cycles: the training configuration reports it at the train block)
        }
        SnapshotSchedule schedule = SnapshotSchedule.of(settings.optimizer().lr(), settings.epochs(),
                settings.schedule().cycles());
        return (epoch, model) -> {
            if (schedule.endsCycle(epoch) || epoch == settings.epochs() - 1) {
                Path file = snapshotPath(out, epoch / schedule.cycleEpochs() + 1);
                TrainingRun.write(model, file, labels, normalization);
                o.println("snapshot " + (epoch / schedule.cycleEpochs() + 1) + " (epoch " + (epoch + 1) + "): wrote "
                        + file);
                o.flush();
            }
        };
    }

    /** {@code dir/m.weights.json} and 2 give {@code dir/m.snapshot-2.weights.json}. */
    static Path snapshotPath(Path out, int k) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".weights.json") ? name.substring(0, name.length() - ".weights.json".length())
                : name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return out.resolveSibling(stem + ".snapshot-" + k + ".weights.json");
    }

    /**
     * The labels image folders are matched to: the model's, or when it declares none, those the
     * weights fine-tuned from record.
     */
    private List<String> classLabels(ModelRecipe recipe) {
        if (!recipe.graph().labels().isEmpty() || initial == null) {
            return recipe.graph().labels();
        }
        return Compiler.readWeights(initial, WeightsFile.ReadLimits.of(model.limits().maxWeightsBytes())).labels();
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }
}
