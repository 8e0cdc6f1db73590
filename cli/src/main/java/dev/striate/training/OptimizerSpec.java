package dev.striate.training;

import dev.striate.optim.Adagrad;
import dev.striate.optim.Adam;
import dev.striate.optim.Optimizer;
import dev.striate.optim.Regularization;
import dev.striate.optim.RmsProp;
import dev.striate.optim.Sgd;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * An optimizer as a train block or the command line describes it, with PyTorch's defaults for
 * whatever is not given. Only the fields of its {@link #kind()} are used.
 *
 * @param kind which optimizer
 * @param lr the learning rate
 * @param momentum SGD and RMSprop momentum
 * @param dampening SGD dampening
 * @param nesterov SGD Nesterov momentum
 * @param weightDecay L2 penalty (PyTorch's {@code weight_decay})
 * @param alpha RMSprop smoothing constant
 * @param eps the term added to denominators (RMSprop, Adagrad, Adam)
 * @param centered RMSprop centered variant
 * @param lrDecay Adagrad learning-rate decay
 * @param initialAccumulator Adagrad initial accumulator value
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param amsgrad Adam's AMSGrad variant
 * @param keras RMSprop with Keras 3's formulas (epsilon inside the root), see {@link RmsProp}
 */
public record OptimizerSpec(Kind kind, double lr, double momentum, double dampening, boolean nesterov,
        double weightDecay, double alpha, double eps, boolean centered, double lrDecay, double initialAccumulator,
        double beta1, double beta2, boolean amsgrad, boolean keras) {

    /** The optimizers a train block may name. */
    public enum Kind {
        /** Stochastic gradient descent (with optional momentum, Nesterov). */
        SGD(List.of("lr", "momentum", "dampening", "nesterov", "weight_decay"), Double.NaN),
        /** Adagrad. */
        ADAGRAD(List.of("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"), 0.01),
        /** RMSprop. */
        RMSPROP(List.of("lr", "alpha", "eps", "weight_decay", "momentum", "centered", "rho", "keras"), 0.01),
        /** Adam. */
        ADAM(List.of("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"), 0.001);

        private final List<String> params;
        private final double defaultLr;

        Kind(List<String> params, double defaultLr) {
            this.params = params;
            this.defaultLr = defaultLr;
        }

        /** The argument names, positional order first. */
        public List<String> params() {
            return params;
        }

        /** PyTorch's default learning rate, NaN when there is none (SGD). */
        public double defaultLr() {
            return defaultLr;
        }

        /** The name used in train blocks and flags, e.g. {@code rmsprop}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code name} (case-insensitive), or null. */
        public static Kind byName(String name) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            return null;
        }

        /** Every name, for messages. */
        public static List<String> names() {
            return List.of("sgd", "adagrad", "rmsprop", "adam");
        }
    }

    /** {@code kind} with PyTorch's defaults and learning rate {@code lr}. */
    public static OptimizerSpec defaults(Kind kind, double lr) {
        double eps = switch (kind) {
            case ADAGRAD -> 1e-10;
            default -> 1e-8;
        };
        return new OptimizerSpec(kind, lr, 0, 0, false, 0, 0.99, eps, false, 0, 0, 0.9, 0.999, false, false);
    }

    /** This optimizer with another learning rate. */
    public OptimizerSpec withLr(double newLr) {
        return new OptimizerSpec(kind, newLr, momentum, dampening, nesterov, weightDecay, alpha, eps, centered, lrDecay,
                initialAccumulator, beta1, beta2, amsgrad, keras);
    }

    /** Creates fresh optimizers with the given L1 and L2 ({@code l2} replaces {@link #weightDecay()} when positive). */
    public Supplier<Optimizer> supplier(double l1, double l2) {
        Regularization reg = new Regularization(l2 > 0 ? l2 : weightDecay, l1);
        return switch (kind) {
            case SGD -> () -> Sgd.builder(lr).momentum(momentum).dampening(dampening).nesterov(nesterov)
                    .regularization(reg).build();
            case ADAGRAD -> () -> Adagrad.builder().lr(lr).lrDecay(lrDecay).initialAccumulatorValue(initialAccumulator)
                    .eps(eps).regularization(reg).build();
            case RMSPROP -> () -> RmsProp.builder().lr(lr).alpha(alpha).eps(eps).momentum(momentum).centered(centered)
                    .keras(keras).regularization(reg).build();
            case ADAM -> () -> Adam.builder().lr(lr).betas(beta1, beta2).eps(eps).amsgrad(amsgrad)
                    .regularization(reg).build();
        };
    }

    /** For the summary line, e.g. {@code rmsprop(lr=0.001)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.id()).append("(lr=").append(num(lr));
        switch (kind) {
            case SGD -> {
                if (momentum != 0) {
                    sb.append(", momentum=").append(num(momentum));
                }
                if (nesterov) {
                    sb.append(", nesterov=true");
                }
            }
            case RMSPROP -> {
                if (alpha != 0.99) {
                    sb.append(keras ? ", rho=" : ", alpha=").append(num(alpha));
                }
                if (eps != 1e-8) {
                    sb.append(", eps=").append(num(eps));
                }
                if (keras) {
                    sb.append(", keras=true");
                }
                if (momentum != 0) {
                    sb.append(", momentum=").append(num(momentum));
                }
                if (centered) {
                    sb.append(", centered=true");
                }
            }
            case ADAM -> {
                if (beta1 != 0.9 || beta2 != 0.999) {
                    sb.append(", beta1=").append(num(beta1)).append(", beta2=").append(num(beta2));
                }
                if (amsgrad) {
                    sb.append(", amsgrad=true");
                }
            }
            default -> {
            }
        }
        if (weightDecay != 0) {
            sb.append(", weight_decay=").append(num(weightDecay));
        }
        return sb.append(')').toString();
    }

    static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
