package dev.striate.passes;

import dev.striate.ir.BatchNorm;
import dev.striate.ir.Graph;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Node;
import dev.striate.weights.Tensor;

/**
 * Folds a batch norm into the conv2d, conv_transpose2d or dense layer that feeds it. With
 * {@code s = weight / sqrt(running_var + epsilon)} and {@code t = bias - running_mean * s} per
 * output channel, the layer's kernel for channel {@code f} is scaled by {@code s[f]} and its bias
 * becomes {@code bias[f] * s[f] + t[f]} (a bias is created when the layer had none); the batch
 * norm node and its four tensors go.
 *
 * <p>Exact up to float rounding, at inference only (in training batch norm uses the batch's
 * statistics). Applies only when the layer has no activation of its own (the norm must see the
 * linear output), the norm is the layer's only reader and the layer's value is no graph output.
 * Left alone when the weights are not bound.
 */
public final class FoldBatchNorm implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node bn : graph.nodes()) {
            if (!(bn.op() instanceof BatchNorm norm)) {
                continue;
            }
            Node layer = graph.node(bn.inputs().get(0));
            if (!(layer.op() instanceof LinearLayer linear) || !linear.activation().isIdentity()
                    || Layers.soleReader(graph, layer.name()) == null || !bound(graph, bn, layer, linear)) {
                continue;
            }
            int channels = bn.shape().channels();
            double[] s = new double[channels];
            double[] t = new double[channels];
            float[] gamma = graph.weight(bn, "weight").data();
            float[] beta = graph.weight(bn, "bias").data();
            float[] mean = graph.weight(bn, "running_mean").data();
            float[] var = graph.weight(bn, "running_var").data();
            for (int c = 0; c < channels; c++) {
                s[c] = gamma[c] / Math.sqrt(var[c] + (double) norm.epsilon());
                t[c] = beta[c] - mean[c] * s[c];
            }
            Tensor w = graph.weight(layer, "weight");
            float[] scaled = scaleKernel(linear, w, s);
            Tensor oldBias = linear.bias() ? graph.weight(layer, "bias") : null;
            float[] bias = new float[channels];
            for (int c = 0; c < channels; c++) {
                double b = oldBias == null ? 0 : oldBias.data()[c];
                bias[c] = (float) (b * s[c] + t[c]);
            }
            edit.replace(layer.withOp(linear.withBias(true)));
            edit.putWeight(layer.paramKey("weight"), w.shape(), scaled);
            edit.putWeight(layer.paramKey("bias"), new int[] {channels}, bias);
            edit.remove(bn.name(), layer.name());
        }
        return edit.build();
    }

    private static boolean bound(Graph graph, Node bn, Node layer, LinearLayer linear) {
        for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            if (graph.weight(bn, p) == null) {
                return false;
            }
        }
        return graph.weight(layer, "weight") != null
                && (!linear.bias() || graph.weight(layer, "bias") != null);
    }

    /** The kernel with every weight of output channel {@code f} multiplied by {@code s[f]}. */
    private static float[] scaleKernel(LinearLayer layer, Tensor w, double[] s) {
        float[] in = w.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] * s[layer.outputChannelOf(w.shape(), i)]);
        }
        return out;
    }
}
