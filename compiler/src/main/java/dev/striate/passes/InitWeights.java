package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightInit;
import dev.striate.weights.WeightSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seeded random weights for a shaped graph ({@code striate init}): each parameter as its
 * {@link dev.striate.ir.ParamSpec.Init} says — He uniform for layers followed by ReLU-family
 * activations, Glorot uniform otherwise, zeros for biases, batch-norm statistics at their
 * identity values. Each tensor draws from its own stream, derived from the seed and the tensor
 * name ({@link WeightInit#stream}), so adding a layer leaves the other tensors unchanged.
 * Same seed, same bytes.
 */
public final class InitWeights {
    private InitWeights() {
    }

    /**
     * The graph's parameters in graph order, named {@code layer.param}, in a set named after the graph.
     *
     * @throws IllegalStateException when the graph's shapes are not inferred yet
     */
    public static WeightSet run(Graph graph, long seed) {
        List<Tensor> tensors = new ArrayList<>();
        for (BindWeights.Param p : BindWeights.params(graph)) {
            String key = p.key();
            int[] shape = p.spec().shape().dims();
            float[] data = new float[p.spec().shape().size()];
            switch (p.spec().init()) {
                case HE -> WeightInit.heUniform(data, shape, WeightInit.stream(seed, key));
                case GLOROT -> WeightInit.glorotUniform(data, shape, WeightInit.stream(seed, key));
                case ZEROS -> Arrays.fill(data, 0f);
                case ONES -> Arrays.fill(data, 1f);
            }
            tensors.add(new Tensor(key, shape, data));
        }
        return WeightSet.of(graph.name(), tensors);
    }
}
