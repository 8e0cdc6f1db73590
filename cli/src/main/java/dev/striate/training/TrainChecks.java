package dev.striate.training;

import dev.striate.data.Normalization;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.train.ImageTargets;
import dev.striate.train.Loss;
import dev.striate.train.loss.Losses;
import dev.striate.train.loss.MeanSquaredError;
import dev.striate.train.loss.SigmoidBinaryCrossEntropy;
import dev.striate.train.loss.SoftmaxCrossEntropy;

/**
 * What training must refuse so that it never changes the model's meaning.
 *
 * <p>The trainer fuses a final softmax into cross-entropy and a final sigmoid into binary
 * cross-entropy (it trains on the logits, which is exact and numerically stable); the weights it
 * writes are then used by the class the model compiles to, which applies the model's own final
 * activation. Accepted pairs, so that the trained loss is the loss of the shipped model:
 * <ul>
 *   <li>crossentropy with a final softmax (probabilities out) or with no final activation (the
 *       model outputs logits, and the loss applies the softmax, as PyTorch's CrossEntropyLoss);</li>
 *   <li>binary_crossentropy with a final sigmoid, or with no final activation (logits, as
 *       PyTorch's BCEWithLogitsLoss);</li>
 *   <li>mse with anything (the trainer keeps every activation).</li>
 * </ul>
 * Everything else is refused: sigmoid with crossentropy would train a softmax over the
 * pre-sigmoid values, softmax with binary_crossentropy independent sigmoids; a final relu, tanh,
 * elu or leaky_relu with a cross-entropy means logits to PyTorch users and probabilities to Keras
 * users; a softmax or sigmoid followed by flatten or dropout would be applied twice.
 */
public final class TrainChecks {
    private TrainChecks() {
    }

    /**
     * Reports every problem of training {@code graph} with {@code loss}.
     *
     * @param lossPos where the train block sets the loss, or null when it comes from the command line
     *                or the default (the error is then placed at the final layer)
     */
    public static void check(Graph graph, String loss, SourcePos lossPos, Diagnostics diagnostics) {
        if (graph.outputs().size() != 1) {
            return;
        }
        Loss l = Losses.byName(loss).orElse(null);
        if (l == null || l instanceof MeanSquaredError) {
            return;
        }
        Node last = graph.node(graph.outputs().get(0));
        Node end = last;
        while (end.op().isInferenceView() && end.inputs().size() == 1 && end.shape().isKnown()) {
            end = graph.node(end.inputs().get(0));
        }
        Activation a = end.op().appliedActivation();
        if (a == null) {
            a = Activation.IDENTITY;
        }
        boolean softmaxLoss = l instanceof SoftmaxCrossEntropy;
        String name = softmaxLoss ? "crossentropy" : l instanceof SigmoidBinaryCrossEntropy ? "binary_crossentropy"
                : loss;
        Class<? extends Activation> fused = softmaxLoss ? Activation.Softmax.class : Activation.Sigmoid.class;
        String fusedName = softmaxLoss ? "softmax" : "sigmoid";
        SourcePos pos = lossPos != null ? lossPos : end.pos();
        String at = " (layer " + end.name() + ")";
        if (end != last && (a instanceof Activation.Softmax || a instanceof Activation.Sigmoid)) {
            diagnostics.error(ErrorCode.LOSS_ACTIVATION, pos, "loss " + name + ": the model's " + a.display() + at
                    + " is followed by " + last.op().kind() + ", so training would apply it twice; make "
                    + a.display() + " the model's last layer, or use loss = mse");
            return;
        }
        if (a.isIdentity() || fused.isInstance(a)) {
            return;
        }
        String instead;
        if (a instanceof Activation.Softmax) {
            instead = "binary_crossentropy trains independent sigmoids, but the compiled model outputs a softmax; "
                    + "write loss = crossentropy (one class per input), or activation=sigmoid (independent "
                    + "yes/no outputs)";
        } else if (a instanceof Activation.Sigmoid) {
            instead = "crossentropy trains a softmax over the values before the sigmoid, but the compiled model "
                    + "outputs independent sigmoids; write activation=softmax (one class per input), or "
                    + "loss = binary_crossentropy (independent yes/no outputs)";
        } else {
            instead = name + " reads the outputs as logits or as " + fusedName + " outputs, and a final "
                    + a.display() + " is neither; end the model in " + fusedName
                    + " (or in no activation, for logits), or use loss = mse";
        }
        diagnostics.error(ErrorCode.LOSS_ACTIVATION, pos, "loss " + name + " does not fit the model's final "
                + a.display() + at + ": " + instead);
    }

    /**
     * Reports why {@code graph} cannot be trained image to image with {@code loss}: its output must
     * have one value per input value ({@code E514}), and the loss must compare values, not classes
     * ({@code E515}: crossentropy would take a softmax over the pixels).
     */
    public static void checkImageTargets(Graph graph, String loss, SourcePos pos, Diagnostics diagnostics) {
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            return;
        }
        var in = graph.inputs().get(0).shape();
        var out = graph.node(graph.outputs().get(0)).shape();
        if (in.isKnown() && out.isKnown() && in.size() != out.size()) {
            diagnostics.error(ErrorCode.IMAGE_TARGET_SHAPE, pos, "target = image needs one output per input value, "
                    + "but model " + graph.name() + " reads " + in + " (" + in.size() + " values) and outputs " + out
                    + " (" + out.size() + "); end the model in a layer of the input's shape (e.g. a conv_transpose2d "
                    + "back to " + in + ")");
        }
        if (Losses.byName(loss).orElse(null) instanceof SoftmaxCrossEntropy) {
            diagnostics.error(ErrorCode.IMAGE_TARGET_LOSS, pos, "target = image compares images value by value, "
                    + "which loss " + loss + " (a softmax over all outputs) does not; use loss = mse, or "
                    + "binary_crossentropy for targets in [0, 1]");
        }
    }

    /**
     * Refuses binary cross-entropy against image targets that can leave [0, 1] ({@code E515} at
     * {@code pos}): pixels {@code 0..255}, normalized by {@code normalization} (null: none), times
     * the target scale.
     */
    public static void checkTargetRange(ImageTargets targets, String loss, Normalization normalization,
            SourcePos pos) {
        if (targets == null || !(Losses.byName(loss).orElse(null) instanceof SigmoidBinaryCrossEntropy)) {
            return;
        }
        double[] range = targetRange(targets, normalization);
        double lo = range[0];
        double hi = range[1];
        if (lo < -1e-6 || hi > 1 + 1e-6) {
            throw new CompileException(Diagnostic.error(ErrorCode.IMAGE_TARGET_LOSS, pos, "binary_crossentropy "
                    + "needs targets in [0, 1], but pixels 0..255" + (normalization == null ? "" : " normalized")
                    + " times the target scale " + targets.scale() + " span [" + (float) lo + ", " + (float) hi
                    + "]; write target = image(scale=1/255) when the model rescales its input itself, or use "
                    + "loss = mse"));
        }
    }

    /**
     * The span {@code [lo, hi]} of the image targets of pixels {@code 0..255}: each pixel value
     * normalized by {@code normalization} (null: none, else per channel), times the target scale.
     */
    public static double[] targetRange(ImageTargets targets, Normalization normalization) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int channels = normalization == null ? 1 : normalization.mean().length;
        for (int c = 0; c < channels; c++) {
            for (double pixel : new double[] {0, 255}) {
                double x = normalization == null ? pixel
                        : (pixel - normalization.mean()[c]) / normalization.std()[c];
                double t = x * targets.scale();
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        return new double[] {lo, hi};
    }
}
