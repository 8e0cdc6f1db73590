package dev.striate.backend.train;

import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.passes.EliminateDropout;
import dev.striate.passes.LowerBatchNorm;
import dev.striate.train.ReluBackward;
import dev.striate.train.TrainableModel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * One layer of a model seen from its input, for pictures ({@code striate show}): the generated
 * trainer of the model truncated at that layer (its output is the layer's output), with the
 * input gradient and a chosen ReLU backward rule. {@link #activations} is the layer's output for
 * one input (the inference forward, the code the shipped class runs); {@link #inputGradient} the
 * generated backward pass from a signal on that output back to the input. Dropout is removed and
 * batch norm lowered to its running statistics first, so that the forward the backward follows
 * is the inference one. One thread at a time.
 */
public final class LayerProbe {
    private final String layer;
    private final Shape shape;
    private final TrainableModel.Worker worker;
    private final Method inputGradient;
    private final float[] out;

    private LayerProbe(String layer, Shape shape, TrainableModel.Worker worker, Method inputGradient) {
        this.layer = layer;
        this.shape = shape;
        this.worker = worker;
        this.inputGradient = inputGradient;
        this.out = new float[shape.size()];
    }

    /**
     * The probe of {@code layer} (a node of {@code bound}, a one-input model with weights bound).
     * {@code logits}: when the layer is the model's final softmax or sigmoid layer, probe the values
     * before it.
     */
    public static LayerProbe of(Graph bound, String layer, boolean logits, ReluBackward relu) {
        if (!bound.has(layer)) {
            throw new IllegalArgumentException("no layer " + layer);
        }
        Graph g = new LowerBatchNorm().run(new EliminateDropout().run(bound.withOutputs(List.of(layer))));
        if (!g.has(layer)) {
            throw new IllegalArgumentException("layer " + layer + " is removed at inference (dropout, batch norm)");
        }
        TrainableModel model = TrainerBackend.load(g, new TrainerOptions(logits, true, relu));
        TrainableModel.Worker worker = model.newWorker(1);
        try {
            Method m = worker.getClass().getMethod("inputGradient");
            m.setAccessible(true);
            Shape shape = g.node(layer).shape();
            return new LayerProbe(layer, shape, worker, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the generated trainer has no inputGradient()", e);
        }
    }

    /** The layer's name. */
    public String layer() {
        return layer;
    }

    /** The shape of the layer's output. */
    public Shape shape() {
        return shape;
    }

    /** The layer's output for one (normalized) input; a new array. */
    public float[] activations(float[] input) {
        worker.infer(input, 1, out);
        return out.clone();
    }

    /**
     * d (sum of {@code signal} times the layer's output) / d input for one input: the generated
     * backward pass with this probe's ReLU rule. A new array.
     */
    public float[] inputGradient(float[] input, float[] signal) {
        if (signal.length != shape.size()) {
            throw new IllegalArgumentException("signal of " + signal.length + " values for an output of " + shape.size());
        }
        worker.forward(input, 1, out, 0L);
        worker.backward(signal, 1);
        try {
            return ((float[]) inputGradient.invoke(worker)).clone();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
