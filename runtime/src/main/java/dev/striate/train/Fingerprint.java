package dev.striate.train;

import dev.striate.data.Dataset;
import dev.striate.optim.Optimizer;
import dev.striate.optim.schedule.Schedule;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint must agree with to be resumed bit for bit: the model (name, parameter and
 * buffer shapes), the optimizer, the batch size, seed, slicing, schedule, augmentation,
 * normalization and data sizes, and the matrix kernel ({@link VectorModule#KERNEL}). Stored as {@code key=value} lines so a mismatch can name what
 * changed. The epoch count and the thread count are left out: a run may be resumed to train
 * longer, or on another machine.
 */
final class Fingerprint {
    private final Map<String, String> entries;

    private Fingerprint(Map<String, String> entries) {
        this.entries = entries;
    }

    /** The fingerprint of a run. */
    static Fingerprint of(TrainableModel model, Optimizer optimizer, Schedule schedule, TrainingConfig config,
            Dataset train, Dataset validation) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", model.name());
        m.put("parameters", shapes(model.parameters()));
        m.put("buffers", shapes(model.buffers()));
        m.put("optimizer", optimizer.name() + " " + optimizer.stateNames() + " " + optimizer.regularization());
        m.put("schedule", String.valueOf(schedule));
        m.put("batch", Integer.toString(config.batchSize()));
        m.put("seed", Long.toString(config.seed()));
        m.put("slices", Integer.toString(config.slices()));
        m.put("augmentation", config.augmentation().toString());
        m.put("targets", config.targets().name());
        if (config.imageTargets() != null) {
            m.put("image_targets", config.imageTargets().toString());
        }
        m.put("normalization", String.valueOf(config.normalization()));
        if (config.kernelL2() != 0) {
            m.put("kernel_l2", Double.toString(config.kernelL2()));
        }
        m.put("train", train.size() + " images " + train.shape());
        m.put("validation", validation == null ? "none" : validation.size() + " images");
        // the two matrix kernels round differently: resuming on the other one would not give the same weights
        // the text after the kernel is part of every checkpoint written so far: keep it
        m.put("kernel", VectorModule.KERNEL + " (java --add-modules " + VectorModule.NAME + " selects vector; -D"
                + VectorModule.PROPERTY + "=scalar, scalar)");
        return new Fingerprint(m);
    }

    /** Parses the text of {@link #toString()}. */
    static Fingerprint parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Fingerprint(m);
    }

    private static String shapes(List<Tensor> tensors) {
        List<String> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            parts.add(t.name() + t.shapeString());
        }
        return String.join(" ", parts);
    }

    /** The differences from {@code other} ({@code key: this vs other}), empty when they agree. */
    List<String> differences(Fingerprint other) {
        List<String> diffs = new ArrayList<>();
        for (var e : entries.entrySet()) {
            String theirs = other.entries.get(e.getKey());
            if (!e.getValue().equals(theirs)) {
                diffs.add(e.getKey() + ": " + theirs + " in the checkpoint, " + e.getValue() + " now");
            }
        }
        for (String key : other.entries.keySet()) {
            if (!entries.containsKey(key)) {
                diffs.add(key + ": only in the checkpoint");
            }
        }
        return diffs;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }
}
