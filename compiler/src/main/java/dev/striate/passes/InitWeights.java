package dev.striate.passes;

import dev.striate.ir.Graph;
import dev.striate.ir.ParamSpec;
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
     * The initializer of every kernel (a weight the layer's activation would give He or Glorot), as a train
     * block's {@code init} names it. The uniform ones equal Keras' and PyTorch's ({@code a = sqrt(6 / (fan_in +
     * fan_out))}, {@code sqrt(6 / fan_in)}); the normal ones are PyTorch's {@code xavier_normal_} and
     * {@code kaiming_normal_} (not truncated, unlike Keras' {@code glorot_normal} and {@code he_normal}).
     */
    public enum KernelInit {
        /** He uniform before ReLU-family activations, Glorot uniform otherwise (the default). */
        AUTO,
        /** Glorot (Xavier) uniform. */
        GLOROT_UNIFORM,
        /** Glorot normal, standard deviation {@code sqrt(2 / (fan_in + fan_out))}. */
        GLOROT_NORMAL,
        /** He (Kaiming) uniform. */
        HE_UNIFORM,
        /** He normal, standard deviation {@code sqrt(2 / fan_in)}. */
        HE_NORMAL;

        /** The train block's name, e.g. {@code glorot_uniform}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The initializer named {@code id}, or null. */
        public static KernelInit byId(String id) {
            for (KernelInit k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * The graph's parameters in graph order, named {@code layer.param}, in a set named after the graph.
     *
     * @throws IllegalStateException when the graph's shapes are not inferred yet
     */
    public static WeightSet run(Graph graph, long seed) {
        return run(graph, seed, KernelInit.AUTO);
    }

    /** As {@link #run(Graph, long)}, with every kernel initialized by {@code kernels} (unless it is AUTO). */
    public static WeightSet run(Graph graph, long seed, KernelInit kernels) {
        List<Tensor> tensors = new ArrayList<>();
        for (BindWeights.Param p : BindWeights.params(graph)) {
            String key = p.key();
            int[] shape = p.spec().shape().dims();
            float[] data = new float[p.spec().shape().size()];
            boolean kernel = p.spec().init() == ParamSpec.Init.HE || p.spec().init() == ParamSpec.Init.GLOROT;
            if (kernel && kernels != KernelInit.AUTO) {
                var rng = WeightInit.stream(seed, key);
                switch (kernels) {
                    case GLOROT_UNIFORM -> WeightInit.glorotUniform(data, shape, rng);
                    case GLOROT_NORMAL -> WeightInit.glorotNormal(data, shape, rng);
                    case HE_UNIFORM -> WeightInit.heUniform(data, shape, rng);
                    case HE_NORMAL -> WeightInit.heNormal(data, shape, rng);
                    default -> throw new IllegalStateException(kernels.name());
                }
                tensors.add(new Tensor(key, shape, data));
                continue;
            }
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
