package dev.striate.train;

import dev.striate.weights.Tensor;
import java.util.List;

/**
 * A model the training loop can train: implemented by the trainer class that {@code striate
 * train} generates (forward and backward passes specialized like the inference class). The loop
 * owns the optimizer and the data; the model owns the arithmetic.
 */
public interface TrainableModel {

    /** The model's name (as in the {@code .cnn} file). */
    String name();

    /** Floats per input sample (C*H*W). */
    int inputSize();

    /** Floats per output sample: the raw outputs the loss reads (logits when the loss fuses softmax). */
    int outputSize();

    /**
     * Learned tensors in PyTorch's canonical layout, keyed {@code layer.param}; live: optimizers
     * update their data in place, and workers read them at the next forward.
     */
    List<Tensor> parameters();

    /** Non-learned state saved with the weights (batch-norm running statistics), live. */
    List<Tensor> buffers();

    /**
     * A worker with its own activations and gradient buffers for batches of up to {@code maxBatch}.
     * The loop creates workers in slice order. Only the FIRST worker a model creates updates the
     * shared batch-norm running statistics in {@link #buffers()} during its training forward;
     * later workers normalize with their own slice's statistics and leave the buffers alone (as
     * PyTorch's DataParallel without synchronized batch norm), so concurrent slices never race.
     */
    Worker newWorker(int maxBatch);

    /** Per-thread state; a worker is used by one thread at a time. */
    interface Worker {
        /**
         * Training-mode forward pass over {@code n} samples ({@code inputs} holds {@code n * inputSize()}
         * floats), writing {@code n * outputSize()} raw outputs. Dropout masks come from {@code seed}.
         */
        void forward(float[] inputs, int n, float[] outputs, long seed);

        /**
         * Backward pass from {@code dOutputs} (d loss / d outputs for the last forward's samples);
         * overwrites {@link #gradients()} with d loss / d parameter summed over those samples.
         */
        void backward(float[] dOutputs, int n);

        /**
         * Inference-mode forward pass over {@code n} samples, as the generated inference class
         * computes it: batch norm uses the running statistics of {@link TrainableModel#buffers()}
         * and does not update them, dropout is the identity. Writes {@code n * outputSize()} raw
         * outputs. Used by the training loop's validation and by evaluation; it must not change
         * any parameter, buffer or gradient.
         */
        void infer(float[] inputs, int n, float[] outputs);

        /** Gradient arrays parallel to {@link TrainableModel#parameters()}. */
        float[][] gradients();
    }
}
