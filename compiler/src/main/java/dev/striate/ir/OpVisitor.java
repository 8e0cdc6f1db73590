package dev.striate.ir;

/**
 * Exhaustive dispatch over the sealed {@link Op}: one method per op kind, so adding an op to
 * {@code Op}'s {@code permits} list fails to compile until every visitor (emitters, gradient rules,
 * passes, summaries) says what it does with it. Use a visitor wherever code would otherwise test
 * an op with a chain of {@code instanceof}: a forgotten case is then a compile error, not a
 * run-time {@code IllegalArgumentException}.
 *
 * @param <R> what the visit produces
 */
public interface OpVisitor<R> {
    R visitInput(Input op);

    R visitConv2d(Conv2d op);

    R visitConvTranspose2d(ConvTranspose2d op);

    R visitPool2d(Pool2d op);

    R visitGlobalPool(GlobalPool op);

    R visitDense(Dense op);

    R visitFlatten(Flatten op);

    R visitDropout(Dropout op);

    R visitBatchNorm(BatchNorm op);

    R visitActivate(Activate op);

    R visitMaxout(Maxout op);

    R visitAdd(Add op);

    R visitConcat(Concat op);

    R visitPixelShuffle(PixelShuffle op);

    R visitNormalize(Normalize op);

    R visitRescale(Rescale op);

    R visitPad(Pad op);

    R visitConvPool(ConvPool op);

    R visitUntiedBias(UntiedBias op);
}
