package dev.striate.training;

import dev.striate.data.Augmentation;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Setting;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.frontend.ast.Value;
import dev.striate.passes.InitWeights;
import dev.striate.train.loss.Losses;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code train} block into {@link TrainSettings}. Every problem (an unknown or repeated
 * setting, a value of the wrong type, a value out of range, an unknown optimizer, schedule, loss
 * or augmentation) is reported at the setting's or value's {@code file:line:col}, all of them
 * before a {@link CompileException} is thrown.
 */
public final class TrainBlockReader {
    /** The settings a train block may hold. */
    public static final List<String> SETTINGS = List.of("loss", "optimizer", "batch", "epochs", "schedule", "warmup",
            "l1", "l2", "seed", "validation", "augment", "normalize", "init", "kernel_l2", "target", "noise");

    private final Diagnostics diagnostics;
    private String loss;
    private OptimizerSpec optimizer;
    private int batch;
    private int epochs;
    private ScheduleSpec schedule;
    private int warmupEpochs;
    private double warmupStart;
    private double l1;
    private double l2;
    private long seed;
    private double validation;
    private Augmentation augment;
    private NormalizeSpec normalize;
    private InitWeights.KernelInit init;
    private double kernelL2;
    private final ImageTargetSettings images = new ImageTargetSettings();

    private TrainBlockReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        TrainSettings d = TrainSettings.DEFAULTS;
        loss = d.loss();
        optimizer = d.optimizer();
        batch = d.batch();
        epochs = d.epochs();
        schedule = d.schedule();
        warmupEpochs = d.warmupEpochs();
        warmupStart = d.warmupStartFactor();
        l1 = d.l1();
        l2 = d.l2();
        seed = d.seed();
        validation = d.validation();
        augment = d.augment();
        normalize = d.normalize();
        init = d.init();
        kernelL2 = d.kernelL2();
    }

    /** The settings of {@code block} (null: {@link TrainSettings#DEFAULTS}); throws with every error found. */
    public static TrainSettings read(TrainDecl block) {
        Diagnostics diagnostics = new Diagnostics();
        TrainSettings s = read(block, diagnostics);
        diagnostics.throwIfErrors();
        return s;
    }

    /** As {@link #read(TrainDecl)}, adding the diagnostics to {@code diagnostics} instead of throwing. */
    public static TrainSettings read(TrainDecl block, Diagnostics diagnostics) {
        TrainBlockReader r = new TrainBlockReader(diagnostics);
        if (block != null) {
            Set<String> seen = new HashSet<>();
            for (Setting s : block.settings()) {
                String key = s.key().name();
                if (!SETTINGS.contains(key)) {
                    diagnostics.error(ErrorCode.UNKNOWN_ARGUMENT, s.key().pos(), "unknown train setting '" + key + "'"
                            + Suggestions.didYouMean(key, SETTINGS) + " (settings: " + String.join(", ", SETTINGS) + ")");
                } else if (!seen.add(key)) {
                    diagnostics.error(ErrorCode.DUPLICATE_ARGUMENT, s.key().pos(), "train setting '" + key
                            + "' is given twice");
                } else {
                    r.apply(key, s.value());
                }
            }
        }
        r.images.finish(diagnostics);
        return new TrainSettings(r.loss, r.optimizer, r.batch, r.epochs, r.schedule, r.warmupEpochs, r.warmupStart,
                r.l1, r.l2, r.seed, r.validation, r.augment, r.normalize, r.init,
                r.kernelL2, r.images.result(TrainSettings.DEFAULTS.imageTargets()));
    }

    private void apply(String key, Value v) {
        switch (key) {
            case "loss" -> loss(v);
            case "optimizer" -> optimizer = Optimizers.read(v, diagnostics, optimizer);
            case "batch" -> batch = Values.integer(v, "batch", 1, diagnostics, batch);
            case "epochs" -> epochs = Values.integer(v, "epochs", 1, diagnostics, epochs);
            case "schedule" -> schedule = Schedules.read(v, diagnostics, schedule);
            case "warmup" -> warmup(v);
            case "l1" -> l1 = Values.number(v, "l1", Range.NON_NEGATIVE, diagnostics, l1);
            case "l2" -> l2 = Values.number(v, "l2", Range.NON_NEGATIVE, diagnostics, l2);
            case "seed" -> seed = Values.longValue(v, "seed", diagnostics, seed);
            case "validation" ->
                    validation = Values.number(v, "validation", Range.PROPER_FRACTION, diagnostics, validation);
            case "augment" -> augment = Augments.read(v, diagnostics, augment);
            case "normalize" -> normalize = Normalizes.read(v, diagnostics, normalize);
            case "init" -> init(v);
            case "kernel_l2" -> kernelL2 = Values.number(v, "kernel_l2", Range.NON_NEGATIVE, diagnostics, kernelL2);
            case "target" -> images.target(v, diagnostics);
            case "noise" -> images.noise(v, diagnostics);
            default -> throw new IllegalStateException(key);
        }
    }

    private void loss(Value v) {
        String name = v instanceof Value.NameValue n ? n.name() : v instanceof Value.StringValue s ? s.value() : null;
        if (name == null) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), "loss must be a name such as crossentropy, got "
                    + v.describe());
        } else if (Losses.byName(name).isEmpty()) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "unknown loss '" + name + "'"
                    + Suggestions.didYouMean(name, Losses.NAMES) + " (losses: crossentropy, binary_crossentropy, mse)");
        } else {
            loss = name;
        }
    }

    private void init(Value v) {
        List<String> names = java.util.Arrays.stream(InitWeights.KernelInit.values()).map(InitWeights.KernelInit::id)
                .toList();
        String name = v instanceof Value.NameValue n ? n.name() : v instanceof Value.StringValue s ? s.value() : null;
        if (name == null) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), "init must be a name such as glorot_uniform, got "
                    + v.describe());
        } else if (InitWeights.KernelInit.byId(name) == null) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "unknown init '" + name + "'"
                    + Suggestions.didYouMean(name, names) + " (inits: " + String.join(", ", names) + ")");
        } else {
            init = InitWeights.KernelInit.byId(name);
        }
    }

    private void warmup(Value v) {
        if (v instanceof Value.NumberValue) {
            warmupEpochs = Values.integer(v, "warmup", 0, diagnostics, warmupEpochs);
            return;
        }
        String name = Values.callName(v, "warmup", diagnostics);
        if (name == null) {
            return;
        }
        if (!name.equals("warmup") || !(v instanceof Value.CallValue)) {
            diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), "warmup must be an epoch count or "
                    + "warmup(epochs, start_factor), got " + v.describe());
            return;
        }
        Arguments args = Arguments.of(v, List.of("epochs", "start_factor"), diagnostics);
        args.require("epochs", "the warm-up length in epochs");
        warmupEpochs = args.integer("epochs", warmupEpochs, 0);
        warmupStart = args.number("start_factor", warmupStart, Range.FRACTION);
    }
}
