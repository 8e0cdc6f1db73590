package dev.striate.passes;

import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.weights.Tensor;

/**
 * Folds an input {@code normalize} or {@code rescale} (per channel {@code x -> a[c] * x + b[c]})
 * into the conv2d or dense layer that reads it (directly, or a dense layer through a
 * {@code flatten}): kernel weights reading channel {@code c} are
 * multiplied by {@code a[c]}, and each output's bias gains the sum of its weights times
 * {@code b[c]} (a bias is created when needed). Grouped convolutions use the channels of their
 * group. At inference only (training would learn a different parametrization).
 *
 * <p>Exact when no padding is involved: a dense layer, or a conv whose padding is zero. A padded
 * conv is folded only when every {@code b[c]} is zero (e.g. {@code rescale(1/255)}): padding
 * happens after normalization, so padded cells are zeros of the normalized tensor, and
 * {@code a * 0 = 0} keeps them so, while a nonzero shift would have to apply to real pixels only.
 * Otherwise the op is kept. Also kept when it has other readers or is a graph output, or when
 * the layer's weights are not bound.
 */
public final class FoldNormalization implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof ChannelAffineOp affineOp)) {
                continue;
            }
            Node layer = Layers.soleReader(graph, n.name());
            if (layer != null && layer.op() instanceof Flatten) {
                layer = Layers.soleReader(graph, layer.name());
                if (layer != null && !(layer.op() instanceof Dense)) {
                    continue;
                }
            }
            if (layer == null || !(layer.op() instanceof Conv2d || layer.op() instanceof Dense)
                    || graph.weight(layer, "weight") == null
                    || ((LinearLayer) layer.op()).bias() && graph.weight(layer, "bias") == null) {
                continue;
            }
            ChannelAffine affine = ChannelAffine.of(affineOp, n.shape().channels());
            if (layer.op() instanceof Conv2d c && !c.resolvedPadding(n.shape()).isZero() && !affine.keepsZero()) {
                continue;
            }
            fold(graph, edit, n.shape(), affine, layer);
            edit.remove(n.name(), n.inputs().get(0));
        }
        return edit.build();
    }

    private static void fold(Graph graph, GraphEdit edit, Shape in, ChannelAffine affine, Node layer) {
        Tensor w = graph.weight(layer, "weight");
        float[] kernel = w.data();
        float[] scaled = new float[kernel.length];
        int outputs = w.shape()[0];
        int block = kernel.length / outputs;
        // Which input channel a weight reads: conv2d output f of group g reads channels
        // g*cpg .. g*cpg + cpg - 1, each through a kh*kw window; dense reads every channel, each
        // through H*W consecutive inputs when flattened from a map, one input when already flat.
        int cpg = layer.op() instanceof Conv2d c ? in.channels() / c.groups() : in.channels();
        int fpg = layer.op() instanceof Conv2d c ? outputs / c.groups() : outputs;
        int window = block / cpg;
        double[] shift = new double[outputs];
        for (int f = 0; f < outputs; f++) {
            int firstChannel = f / fpg * cpg;
            for (int k = 0; k < block; k++) {
                int channel = firstChannel + k / window;
                float v = kernel[f * block + k];
                scaled[f * block + k] = (float) (v * affine.scale(channel));
                shift[f] += v * affine.shift(channel);
            }
        }
        edit.putWeight(layer.paramKey("weight"), w.shape(), scaled);
        LinearLayer linear = (LinearLayer) layer.op();
        boolean hasBias = linear.bias();
        if (!affine.keepsZero()) {
            float[] old = hasBias ? graph.weight(layer, "bias").data() : new float[outputs];
            float[] bias = new float[outputs];
            for (int f = 0; f < outputs; f++) {
                bias[f] = (float) (old[f] + shift[f]);
            }
            edit.replace(layer.withOp(linear.withBias(true)));
            edit.putWeight(layer.paramKey("bias"), new int[] {outputs}, bias);
        }
    }
}
