package dev.striate.training;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Value;

/** Reads {@code optimizer = sgd(lr=0.1, momentum=0.9)} and the like into an {@link OptimizerSpec}. */
final class Optimizers {
    private static final Range BETA = Range.PROPER_FRACTION;

    private Optimizers() {
    }

    /** The optimizer {@code v} describes, or {@code fallback} after reporting why it cannot be read. */
    static OptimizerSpec read(Value v, Diagnostics diagnostics, OptimizerSpec fallback) {
        String name = Values.callName(v, "optimizer", diagnostics);
        if (name == null) {
            return fallback;
        }
        OptimizerSpec.Kind kind = OptimizerSpec.Kind.byName(name);
        if (kind == null) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "unknown optimizer '" + name + "'"
                    + Suggestions.didYouMean(name, OptimizerSpec.Kind.names())
                    + " (optimizers: " + String.join(", ", OptimizerSpec.Kind.names()) + ")");
            return fallback;
        }
        Arguments a = Arguments.of(v, kind.params(), diagnostics);
        if (kind == OptimizerSpec.Kind.SGD) {
            a.require("lr", "SGD has no default learning rate");
        }
        OptimizerSpec d = OptimizerSpec.defaults(kind, Double.isNaN(kind.defaultLr()) ? 0.01 : kind.defaultLr());
        double lr = a.number("lr", d.lr(), Range.POSITIVE);
        double momentum = a.number("momentum", d.momentum(), Range.NON_NEGATIVE);
        double dampening = a.number("dampening", d.dampening(), Range.FRACTION);
        boolean nesterov = a.bool("nesterov", d.nesterov());
        double weightDecay = a.number("weight_decay", d.weightDecay(), Range.NON_NEGATIVE);
        if (a.has("alpha") && a.has("rho")) {
            diagnostics.error(ErrorCode.BAD_VALUE, a.value("rho").pos(), "rmsprop: give alpha (PyTorch's name) or rho "
                    + "(Keras' name) for the smoothing constant, not both");
        }
        double alpha = a.number(a.has("rho") ? "rho" : "alpha", d.alpha(), Range.NON_NEGATIVE);
        double eps = a.number("eps", d.eps(), Range.NON_NEGATIVE);
        boolean centered = a.bool("centered", d.centered());
        double lrDecay = a.number("lr_decay", d.lrDecay(), Range.NON_NEGATIVE);
        double initial = a.number("initial_accumulator_value", d.initialAccumulator(), Range.NON_NEGATIVE);
        double beta1 = a.number("beta1", d.beta1(), BETA);
        double beta2 = a.number("beta2", d.beta2(), BETA);
        boolean amsgrad = a.bool("amsgrad", d.amsgrad());
        boolean keras = a.bool("keras", d.keras());
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "sgd: Nesterov momentum requires a momentum > 0 and "
                    + "zero dampening");
        }
        return new OptimizerSpec(kind, lr, momentum, dampening, nesterov, weightDecay, alpha, eps, centered, lrDecay,
                initial, beta1, beta2, amsgrad, keras);
    }
}
