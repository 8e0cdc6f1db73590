package dev.striate.passes;

import dev.striate.ir.BatchNorm;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites each batch norm that {@link FoldBatchNorm} could not fold (one on the model input, or
 * after a pooling, an activation, an add) into the {@code normalize} op computing the same
 * per-channel map at inference: with {@code s = weight / sqrt(running_var + epsilon)} and
 * {@code t = bias - running_mean * s}, {@code mean = -t / s} and {@code std = 1 / s}. Its four
 * tensors become op constants, so {@link FoldConstants} can merge it with neighbouring input
 * ops and {@link FoldNormalization} can fold it into the next layer where that is exact.
 *
 * <p>Exact up to float rounding, inference only. Kept when a channel's {@code weight} is zero
 * (no {@code normalize} has a zero scale) or when the weights are not bound.
 */
public final class LowerBatchNorm implements Pass {
    @Override
    public Graph run(Graph graph) {
        GraphEdit edit = new GraphEdit(graph);
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof BatchNorm norm)) {
                continue;
            }
            Tensor gamma = graph.weight(n, "weight");
            Tensor beta = graph.weight(n, "bias");
            Tensor mean = graph.weight(n, "running_mean");
            Tensor var = graph.weight(n, "running_var");
            if (gamma == null || beta == null || mean == null || var == null) {
                continue;
            }
            List<Float> means = new ArrayList<>();
            List<Float> stds = new ArrayList<>();
            for (int c = 0; c < gamma.size(); c++) {
                double s = gamma.data()[c] / Math.sqrt(var.data()[c] + (double) norm.epsilon());
                double t = beta.data()[c] - mean.data()[c] * s;
                means.add((float) (-t / s));
                stds.add((float) (1 / s));
            }
            if (gamma.size() == 0 || means.stream().anyMatch(v -> !Float.isFinite(v))
                    || stds.stream().anyMatch(v -> !Float.isFinite(v) || v == 0f)) {
                continue;
            }
            edit.replace(n.withOp(new Normalize(means, stds)));
            edit.dropWeights(n.name());
        }
        return edit.build();
    }
}
