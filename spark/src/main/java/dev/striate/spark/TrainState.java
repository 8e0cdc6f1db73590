package dev.striate.spark;

import dev.striate.optim.Optimizer;
import dev.striate.train.Checkpoint;
import dev.striate.train.EpochStats;
import dev.striate.train.TrainableModel;
import dev.striate.weights.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every task of an epoch starts from and what task 0 hands back after it: the parameters and
 * buffers (names, shapes, values), the optimizer's state and step count. Serializable, so the
 * driver broadcasts it; converts to and from the runtime's {@link Checkpoint}, which the driver
 * writes with {@code CheckpointFile} (the format {@code striate train} writes).
 */
final class TrainState implements Serializable {
    private static final long serialVersionUID = 1L;
    final int epoch;
    final String[] names;
    final int[][] shapes;
    final float[][] values;
    final int parameterCount;
    final String optimizerName;
    final long optimizerSteps;
    final float[][][] optimizerState;

    private TrainState(int epoch, List<Tensor> parameters, List<Tensor> buffers, String optimizerName,
            long optimizerSteps, float[][][] optimizerState) {
        this.epoch = epoch;
        List<Tensor> all = new ArrayList<>(parameters);
        all.addAll(buffers);
        this.names = all.stream().map(Tensor::name).toArray(String[]::new);
        this.shapes = all.stream().map(t -> t.shape().clone()).toArray(int[][]::new);
        this.values = all.stream().map(t -> t.data().clone()).toArray(float[][]::new);
        this.parameterCount = parameters.size();
        this.optimizerName = optimizerName;
        this.optimizerSteps = optimizerSteps;
        this.optimizerState = optimizerState;
    }

    /** The start of a run: the model's current weights, no optimizer state. */
    static TrainState initial(TrainableModel model, Optimizer optimizer) {
        return new TrainState(0, model.parameters(), model.buffers(), optimizer.name(), 0,
                new float[model.parameters().size()][0][]);
    }

    /** A copy of the live state of {@code model} and {@code optimizer} before epoch {@code epoch}. */
    static TrainState capture(int epoch, TrainableModel model, Optimizer optimizer) {
        Checkpoint c = Checkpoint.capture("", epoch, 0, Checkpoint.EpochTotals.ZERO, List.of(), model, optimizer);
        float[][][] state = new float[c.optimizerState().length][][];
        for (int p = 0; p < state.length; p++) {
            state[p] = new float[c.optimizerState()[p].length][];
            for (int b = 0; b < state[p].length; b++) {
                state[p][b] = c.optimizerState()[p][b].clone();
            }
        }
        return new TrainState(epoch, c.parameters(), c.buffers(), c.optimizerName(), c.optimizerSteps(), state);
    }

    /** The state a checkpoint holds. */
    static TrainState of(Checkpoint c) {
        return new TrainState(c.epoch(), c.parameters(), c.buffers(), c.optimizerName(), c.optimizerSteps(),
                c.optimizerState());
    }

    /** A weight set as the generated trainer's constructor takes it (fresh copies). */
    static Map<String, Tensor> fromWeights(dev.striate.weights.WeightSet weights) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        weights.tensors().forEach((k, t) -> m.put(k, new Tensor(k, t.shape().clone(), t.data().clone())));
        return m;
    }

    /** The weights as the generated trainer's constructor takes them (fresh copies). */
    Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], new Tensor(names[i], shapes[i].clone(), values[i].clone()));
        }
        return m;
    }

    /** This state as a checkpoint of run {@code fingerprint} after the epochs of {@code history}. */
    Checkpoint checkpoint(String fingerprint, List<EpochStats> history) {
        List<Tensor> params = new ArrayList<>();
        List<Tensor> buffers = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            (i < parameterCount ? params : buffers).add(new Tensor(names[i], shapes[i], values[i]));
        }
        return new Checkpoint(fingerprint, epoch, 0, Checkpoint.EpochTotals.ZERO, history, optimizerName,
                optimizerSteps, optimizerState, params, buffers);
    }

    /** Copies the optimizer's state and step count into {@code optimizer} (the model's weights come from {@link #tensors()}). */
    void restoreOptimizer(TrainableModel model, Optimizer optimizer) {
        checkpoint("", List.of()).restore(model, optimizer);
    }
}
