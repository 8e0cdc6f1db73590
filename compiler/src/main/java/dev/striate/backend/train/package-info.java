/**
 * The trainer backend: for a shaped graph, one generated class implementing
 * {@link dev.striate.train.TrainableModel} (it depends on the runtime jar; the inference class
 * stays zero-dependency). {@link dev.striate.backend.train.TrainerBackend#generate} writes the
 * source, {@link dev.striate.backend.train.TrainerBackend#load} compiles it in-process and binds
 * copies of the graph's weights.
 *
 * <p>The class holds parameters and batch-norm buffers as live tensors in PyTorch's layout; its
 * {@code BatchWorker} holds, for up to {@code maxBatch} samples, every activation (saved for the
 * backward pass), every needed gradient, the scratch the gradient rules ask for, and the
 * parameter gradients. {@code forward} runs one method per layer in graph order, {@code backward}
 * zeroes the gradients and runs the layers' backward methods in reverse order, {@code infer} runs
 * the inference-mode methods. Layer code comes from the {@link dev.striate.autodiff.GradRule}s;
 * see {@code Slots} for the storage plan. By default a final softmax or
 * sigmoid is dropped so that the outputs are logits for a loss that fuses it.
 */
package dev.striate.backend.train;
