package dev.striate.autodiff;

import com.palantir.javapoet.MethodSpec;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.train.ReluBackward;
import java.util.List;

/**
 * What a {@link GradRule} sees of the trainer being generated, for one node: its shapes and the
 * Java names of the arrays it reads and writes. Every array holds {@code maxBatch} samples;
 * generated methods take the batch size as their {@code int n} parameter.
 */
public interface RuleContext {

    Node node();

    List<Shape> inputShapes();

    default Shape in() {
        return inputShapes().get(0);
    }

    default Shape out() {
        return node().shape();
    }

    /** The activation array of input {@code i}. */
    String inAct(int i);

    /** The activation array of this node's output. */
    String outAct();

    /** The gradient array of input {@code i}, or null when that input needs no gradient. */
    String inGrad(int i);

    /** The gradient array of this node's output (d loss / d output, summed over consumers). */
    String outGrad();

    /** The array of a learned parameter ({@code weight}) or buffer ({@code running_mean}). */
    String param(String name);

    /** The gradient array of a learned parameter. */
    String paramGrad(String name);

    /** The worker field holding the dropout seed of the current forward pass ({@code long}). */
    String seed();

    /**
     * The worker's {@code dev.striate.train.Gemm} (matrix products with packing buffers of its own):
     * {@code gemm.multiply(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate)}.
     */
    default String gemm() {
        return "gemm";
    }

    /** A per-worker float array of {@code perSample * maxBatch} floats (or {@code fixed} floats when perSample is 0). */
    String scratchFloats(String purpose, int perSample, int fixed);

    /** A per-worker int array of {@code perSample * maxBatch} ints. */
    String scratchInts(String purpose, int perSample);

    /**
     * A boolean worker field, true only in the first worker the model created: that worker alone
     * updates shared state (batch-norm running statistics), so concurrent workers never race.
     */
    String updatesSharedState();

    /** A new method {@code private void <prefix><node>(int n)} documented with the node. */
    MethodSpec.Builder method(String prefix);

    void addForward(MethodSpec m);

    /**
     * This node's forward method written by the inference class's emitter (the code that ships):
     * the class's layer method run on each sample of the batch, or once over the batch where the
     * emitter has a batched form (conv2d); with {@code preActivation} (a batch array, or null) the
     * output before the layer's fused activation is kept there.
     */
    default MethodSpec classForward(String preActivation) {
        return classForward(preActivation, null);
    }

    /**
     * {@link #classForward(String)}, and with {@code argmax} (a batch {@code int} array of the
     * output's size, or null) the max pool's training form runs, whose argmax indices are kept there:
     * for each output, the index of the cell it came from in the batch's input array.
     */
    MethodSpec classForward(String preActivation, String argmax);

    void addBackward(MethodSpec m);

    /** Adds an inference-mode forward method (only rules whose inference differs from training). */
    void addInference(MethodSpec m);

    /**
     * A stable index of the node: its position (from 1) among the needed nodes of the graph as
     * written, before the training passes, so that a pass that removes or fuses a node does not
     * change the random stream of a later layer (dropout masks). Used to derive per-layer random
     * streams.
     */
    int nodeIndex();

    /**
     * True when this node is a max pool whose backward applies its input conv's ReLU mask ({@link ReluPoolFusion}).
     */
    default boolean poolMasksInputRelu() {
        return false;
    }

    /** True when this node's ReLU mask is applied by the max pool that alone reads it ({@link ReluPoolFusion}). */
    default boolean reluMaskedByPool() {
        return false;
    }

    /** How the backward pass goes through a ReLU: the true derivative unless generated for pictures. */
    default ReluBackward reluBackward() {
        return ReluBackward.GRADIENT;
    }
}
