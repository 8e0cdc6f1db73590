package dev.striate;

import dev.striate.backend.EnsembleClass;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Activation;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.weights.Show;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules of an ensemble: 2 to {@link EnsembleClass#MAX_MEMBERS} members, one positive finite weight per
 * member when weights are given (E513); every member takes the same input, gives the same output, has the
 * same labels, ends in softmax exactly when the first does (averaging probabilities with scores mixes
 * meanings) and has the same recorded pixel normalization as the first (E512, at the differing member).
 */
final class EnsembleCheck {
    private EnsembleCheck() {
    }

    /** The members' weights normalized to sum to 1 (equal when none are given), after checking the request. */
    static List<Float> weights(EnsembleRequest request) {
        Diagnostics d = new Diagnostics();
        int n = request.members().size();
        if (n < 2 || n > EnsembleClass.MAX_MEMBERS) {
            d.error(ErrorCode.ENSEMBLE_SPEC, SourcePos.NONE, "an ensemble needs 2 to " + EnsembleClass.MAX_MEMBERS
                    + " models, got " + n);
        }
        List<Double> given = request.weights();
        if (!given.isEmpty() && given.size() != n) {
            d.error(ErrorCode.ENSEMBLE_SPEC, SourcePos.NONE, given.size() + " ensemble weights for " + n
                    + " models: give one weight per model, in the order of the models");
        }
        for (int i = 0; i < given.size(); i++) {
            double w = given.get(i);
            if (!(w > 0) || Double.isInfinite(w)) {
                d.error(ErrorCode.ENSEMBLE_SPEC, SourcePos.NONE, "ensemble weight " + (i + 1) + " is " + w
                        + "; a weight must be a positive finite number");
            }
        }
        d.throwIfErrors();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += given.isEmpty() ? 1 : given.get(i);
        }
        List<Float> weights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            weights.add((float) ((given.isEmpty() ? 1 : given.get(i)) / sum));
        }
        return weights;
    }

    /**
     * Refuses members that differ from the first in input shape, output shape, labels, final softmax or pixel
     * normalization.
     * {@code graphs} are the members' optimized graphs, in order.
     */
    static void members(EnsembleRequest request, List<Graph> graphs) {
        Diagnostics d = new Diagnostics();
        Graph first = graphs.get(0);
        String firstName = describe(request, 0, first);
        for (int i = 1; i < graphs.size(); i++) {
            Graph g = graphs.get(i);
            String name = describe(request, i, g);
            Node input = g.inputs().get(0);
            Node output = g.node(g.outputs().get(0));
            Node firstOutput = first.node(first.outputs().get(0));
            if (!input.shape().equals(first.inputs().get(0).shape())) {
                d.error(ErrorCode.ENSEMBLE_MISMATCH, input.pos(), name + " reads " + input.shape() + " but "
                        + firstName + " reads " + first.inputs().get(0).shape()
                        + "; the members of an ensemble take the same input");
            }
            if (!output.shape().equals(firstOutput.shape())) {
                d.error(ErrorCode.ENSEMBLE_MISMATCH, output.pos(), name + " outputs " + output.shape() + " but "
                        + firstName + " outputs " + firstOutput.shape()
                        + "; the members of an ensemble give outputs of the same shape");
            } else if (!g.labels().equals(first.labels())) {
                d.error(ErrorCode.ENSEMBLE_MISMATCH, output.pos(), name + " " + labelDifference(g.labels(),
                        first.labels(), firstName) + "; the members of an ensemble have the same labels in the same"
                        + " order (declared, or recorded in the weights)");
            } else if (endsInSoftmax(g) != endsInSoftmax(first)) {
                d.error(ErrorCode.ENSEMBLE_MISMATCH, output.pos(), name + " " + ending(g) + " but " + firstName + " "
                        + ending(first) + "; the members of an ensemble are averaged, so either all end in softmax"
                        + " or none does");
            }
            if (!Objects.equals(g.pixelNormalization(), first.pixelNormalization())) {
                d.error(ErrorCode.ENSEMBLE_MISMATCH, weightsPos(request, i), name + " "
                        + normalization(g.pixelNormalization()) + " but " + firstName + " "
                        + normalization(first.pixelNormalization())
                        + "; the members of an ensemble are fed the same pixels, so their weights record the same"
                        + " normalization");
            }
        }
        d.throwIfErrors();
    }

    /** True when the output is a softmax's (through any views such as flatten): the model gives probabilities. */
    static boolean endsInSoftmax(Graph g) {
        Node n = g.node(g.outputs().get(0));
        while (n.op().isInferenceView() && n.inputs().size() == 1) {
            n = g.node(n.inputs().get(0));
        }
        return n.op().appliedActivation() instanceof Activation.Softmax;
    }

    private static String ending(Graph g) {
        return endsInSoftmax(g) ? "ends in softmax (gives probabilities)"
                : "does not end in softmax (gives scores)";
    }

    private static String describe(EnsembleRequest request, int i, Graph g) {
        return "model " + (i + 1) + " (" + Show.text(g.name()) + " from "
                + Show.text(String.valueOf(request.members().get(i).source().getFileName())) + ")";
    }

    private static SourcePos weightsPos(EnsembleRequest request, int i) {
        return new SourcePos(request.members().get(i).weightsPath().toString(), 1, 1);
    }

    private static String labelDifference(List<String> labels, List<String> firstLabels, String firstName) {
        if (labels.isEmpty() || firstLabels.isEmpty()) {
            return (labels.isEmpty() ? "has no labels but " + firstName + " has " + firstLabels.size()
                    : "has " + labels.size() + " labels but " + firstName + " has none");
        }
        for (int k = 0; k < labels.size(); k++) {
            if (!labels.get(k).equals(firstLabels.get(k))) {
                return "has label '" + Show.text(labels.get(k)) + "' for class " + k + " where " + firstName
                        + " has '" + Show.text(firstLabels.get(k)) + "'";
            }
        }
        return "has other labels than " + firstName;
    }

    private static String normalization(Normalize n) {
        return n == null ? "records no pixel normalization" : "records the pixel normalization mean " + n.mean()
                + ", std " + n.std();
    }
}
