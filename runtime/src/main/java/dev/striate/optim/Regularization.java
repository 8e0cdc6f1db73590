package dev.striate.optim;

/**
 * Penalties added to each gradient element before an optimizer uses it:
 * {@code g' = g + l1 * sign(w) + l2 * w}. The L2 term is PyTorch's {@code weight_decay} (it is
 * added to the gradient, not subtracted from the weights as in AdamW, and it is what
 * {@code torch.optim} does); the L1 term is the subgradient of {@code l1 * |w|}, with
 * {@code sign(0) = 0}. The arithmetic is in float like PyTorch's: the L1 term is added first,
 * then the weight decay.
 *
 * @param l2 the weight decay coefficient ({@code weight_decay}), {@code >= 0}
 * @param l1 the L1 coefficient, {@code >= 0}
 */
public record Regularization(double l2, double l1) {
    /** No regularization. */
    public static final Regularization NONE = new Regularization(0, 0);

    /** Checks both coefficients are finite and not negative. */
    public Regularization {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + l2);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("Invalid l1 value: " + l1);
        }
    }

    /** L2 only: PyTorch's {@code weight_decay}. */
    public static Regularization weightDecay(double l2) {
        return new Regularization(l2, 0);
    }

    /** Whether both coefficients are zero. */
    public boolean isNone() {
        return l2 == 0 && l1 == 0;
    }
}
