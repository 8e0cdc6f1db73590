package dev.striate.train;

import dev.striate.optim.Optimizer;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a run needs to continue exactly where it stopped, at a batch boundary: the position
 * (the next epoch and batch; every random draw derives from the seed and this position), the
 * running totals of the unfinished epoch, the finished epochs' numbers, the parameters and
 * buffers, the optimizer's state and step count, and the fingerprint of the configuration it
 * belongs to. {@link CheckpointFile} stores it.
 *
 * @param fingerprint the {@link Fingerprint} of the run's configuration
 * @param epoch the epoch to continue with, from 0
 * @param batch the batch of that epoch to continue with, from 0
 * @param partial the totals of the batches of {@code epoch} already done
 * @param history the finished epochs
 * @param optimizerName the optimizer's {@link Optimizer#name()}
 * @param optimizerSteps the optimizer's step count
 * @param optimizerState per parameter, its state buffers in {@link Optimizer#stateNames()} order
 * @param parameters the model's parameters
 * @param buffers the model's buffers
 */
public record Checkpoint(String fingerprint, int epoch, int batch, EpochTotals partial, List<EpochStats> history,
        String optimizerName, long optimizerSteps, float[][][] optimizerState, List<Tensor> parameters,
        List<Tensor> buffers) {

    /** Copies the lists. */
    public Checkpoint {
        history = List.copyOf(history);
        parameters = List.copyOf(parameters);
        buffers = List.copyOf(buffers);
    }

    /**
     * The running totals of an epoch's finished batches.
     *
     * @param lossSum the sum of batch loss times batch size
     * @param correct samples classified correctly
     * @param seen samples trained on
     * @param seconds training time so far (without validation)
     */
    public record EpochTotals(double lossSum, long correct, long seen, double seconds) {
        /** Nothing done yet. */
        public static final EpochTotals ZERO = new EpochTotals(0, 0, 0, 0);
    }

    /**
     * A checkpoint of the live state of {@code model} and {@code optimizer} (not copied: write it
     * before training continues).
     */
    public static Checkpoint capture(String fingerprint, int epoch, int batch, EpochTotals partial,
            List<EpochStats> history, TrainableModel model, Optimizer optimizer) {
        List<Tensor> params = model.parameters();
        float[][][] state = new float[params.size()][][];
        for (int p = 0; p < params.size(); p++) {
            state[p] = stateOf(optimizer, p);
        }
        return new Checkpoint(fingerprint, epoch, batch, partial, history, optimizer.name(), optimizer.steps(),
                state, params, model.buffers());
    }

    private static float[][] stateOf(Optimizer optimizer, int p) {
        if (optimizer.stateNames().isEmpty()) {
            return new float[0][];
        }
        try {
            return optimizer.state(p);
        } catch (IllegalStateException noStateYet) {
            return new float[0][];
        }
    }

    /** Copies the saved values into the live parameters, buffers and optimizer state; checks names and sizes. */
    public void restore(TrainableModel model, Optimizer optimizer) {
        copyTensors("parameter", parameters, model.parameters());
        copyTensors("buffer", buffers, model.buffers());
        if (!optimizer.name().equals(optimizerName)) {
            throw new TrainingException("the checkpoint was written with optimizer " + optimizerName
                    + ", not " + optimizer.name());
        }
        List<Tensor> params = model.parameters();
        boolean hasState = Arrays.stream(optimizerState).anyMatch(s -> s.length > 0);
        if (hasState) {
            int[] sizes = params.stream().mapToInt(Tensor::size).toArray();
            optimizer.allocate(sizes);
            for (int p = 0; p < params.size(); p++) {
                float[][] live = optimizer.state(p);
                float[][] saved = optimizerState[p];
                if (live.length != saved.length) {
                    throw new TrainingException("the checkpoint holds " + saved.length + " optimizer buffers for "
                            + params.get(p).name() + ", the optimizer has " + live.length);
                }
                for (int b = 0; b < live.length; b++) {
                    if (live[b].length != saved[b].length) {
                        throw new TrainingException("optimizer state of " + params.get(p).name() + " has "
                                + saved[b].length + " values in the checkpoint, expected " + live[b].length);
                    }
                    System.arraycopy(saved[b], 0, live[b], 0, live[b].length);
                }
            }
        }
        optimizer.setSteps(optimizerSteps);
    }

    private static void copyTensors(String kind, List<Tensor> saved, List<Tensor> live) {
        List<String> savedNames = new ArrayList<>();
        saved.forEach(t -> savedNames.add(t.name()));
        List<String> liveNames = new ArrayList<>();
        live.forEach(t -> liveNames.add(t.name()));
        if (!savedNames.equals(liveNames)) {
            throw new TrainingException("the checkpoint's " + kind + "s " + savedNames + " are not the model's "
                    + liveNames);
        }
        for (int i = 0; i < saved.size(); i++) {
            Tensor s = saved.get(i);
            Tensor l = live.get(i);
            if (!Arrays.equals(s.shape(), l.shape())) {
                throw new TrainingException(kind + " " + s.name() + " has shape " + s.shapeString()
                        + " in the checkpoint but " + l.shapeString() + " in the model");
            }
            System.arraycopy(s.data(), 0, l.data(), 0, s.size());
        }
    }
}
