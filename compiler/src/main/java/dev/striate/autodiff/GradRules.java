package dev.striate.autodiff;

import dev.striate.ir.Activate;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Input;
import dev.striate.ir.Maxout;
import dev.striate.ir.Normalize;
import dev.striate.ir.Op;
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.UntiedBias;
import java.util.List;

/**
 * The one table of gradient rules: a visitor over the sealed {@link Op} mapping each op kind to
 * its {@link GradRule}, so a new op kind does not compile until it has a rule here (or a stated
 * refusal, as the inference-only {@link ConvPool} has). The trainer skips the model input and the
 * {@linkplain Op#isTrainingView() training views}; their visits answer {@link AliasGrad}, which
 * refuses to emit.
 */
public final class GradRules implements OpVisitor<GradRule> {
    /** Parameters that are state, not learned: saved with the weights, never given gradients. */
    public static final List<String> BUFFER_PARAMS = List.of("running_mean", "running_var");

    private static final GradRules RULES = new GradRules();

    private GradRules() {
    }

    /**
     * The gradient rule of {@code op}.
     *
     * @throws IllegalArgumentException for {@link ConvPool}, which only the inference passes make
     */
    public static GradRule forOp(Op op) {
        return op.accept(RULES);
    }

    /**
     * True when the trainer emits methods for a node of {@code op}; false for the model input and
     * for training views, which share their input's activation and gradient arrays.
     */
    public static boolean hasCode(Op op) {
        return !(op instanceof Input) && !op.isTrainingView();
    }

    @Override
    public GradRule visitInput(Input op) {
        return AliasGrad.INSTANCE;
    }

    @Override
    public GradRule visitConv2d(Conv2d op) {
        return new Conv2dGrad(op);
    }

    @Override
    public GradRule visitConvTranspose2d(ConvTranspose2d op) {
        return new ConvTranspose2dGrad(op);
    }

    @Override
    public GradRule visitPool2d(Pool2d op) {
        return new Pool2dGrad(op);
    }

    @Override
    public GradRule visitGlobalPool(GlobalPool op) {
        return new GlobalPoolGrad(op);
    }

    @Override
    public GradRule visitDense(Dense op) {
        return new DenseGrad(op);
    }

    @Override
    public GradRule visitFlatten(Flatten op) {
        return AliasGrad.INSTANCE;
    }

    @Override
    public GradRule visitDropout(Dropout op) {
        return new DropoutGrad(op);
    }

    @Override
    public GradRule visitBatchNorm(BatchNorm op) {
        return new BatchNormGrad(op);
    }

    @Override
    public GradRule visitActivate(Activate op) {
        return new ActivateGrad(op);
    }

    @Override
    public GradRule visitMaxout(Maxout op) {
        return new MaxoutGrad(op);
    }

    @Override
    public GradRule visitAdd(Add op) {
        return new AddGrad();
    }

    @Override
    public GradRule visitConcat(Concat op) {
        return new ConcatGrad();
    }

    @Override
    public GradRule visitPixelShuffle(PixelShuffle op) {
        return new PixelShuffleGrad(op);
    }

    @Override
    public GradRule visitNormalize(Normalize op) {
        return new AffineGrad(op);
    }

    @Override
    public GradRule visitRescale(Rescale op) {
        return new AffineGrad(op);
    }

    @Override
    public GradRule visitPad(Pad op) {
        return new PadGrad(op);
    }

    @Override
    public GradRule visitUntiedBias(UntiedBias op) {
        return new UntiedBiasGrad();
    }

    /** Refused: conv+pool fusion is an inference-only pass, so a trainer never sees this op. */
    @Override
    public GradRule visitConvPool(ConvPool op) {
        throw new IllegalArgumentException("no gradient rule for " + op.kind()
                + ": conv+pool fusion is an inference-only pass; train the unfused graph");
    }
}
