package dev.striate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.striate.weights.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keras-style L2 on kernels only: {@code kernel_regularizer=l2(0.01)} adds {@code 0.01 * sum(w^2)} to the loss,
 * so {@code 0.02 * w} to a kernel's gradient (values worked by hand); biases, batch-norm scales and shifts keep
 * their gradients.
 */
class KernelL2Test {
    @Test
    void addsTwiceLambdaTimesTheWeightToKernelsOnly() {
        List<Tensor> params = List.of(
                new Tensor("conv.weight", new int[] {2, 1, 1, 1}, new float[] {1f, -3f}),
                new Tensor("conv.bias", new int[] {2}, new float[] {5f, 5f}),
                new Tensor("bn.weight", new int[] {2}, new float[] {2f, 2f}),
                new Tensor("fc.weight", new int[] {1, 2}, new float[] {0.5f, 10f}));
        float[][] w = params.stream().map(Tensor::data).toArray(float[][]::new);
        float[][] g = {{0.1f, 0.2f}, {0.3f, 0.4f}, {0.5f, 0.6f}, {0f, -1f}};
        Trainer.addKernelL2(w, g, Trainer.kernels(params), 2 * 0.01f);
        assertArrayEquals(new float[] {0.12f, 0.14f}, g[0], 1e-7f);
        assertArrayEquals(new float[] {0.3f, 0.4f}, g[1]);
        assertArrayEquals(new float[] {0.5f, 0.6f}, g[2]);
        assertArrayEquals(new float[] {0.01f, -0.8f}, g[3], 1e-7f);
    }
}
