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
import dev.striate.ir.Pad;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import java.util.List;

/** The one table of gradient rules: maps each op kind to its {@link GradRule}. */
public final class GradRules {
    /** Parameters that are state, not learned: saved with the weights, never given gradients. */
    public static final List<String> BUFFER_PARAMS = List.of("running_mean", "running_var");

    private GradRules() {
    }

    public static GradRule forOp(Op op) {
        if (op instanceof Input || op instanceof Flatten) {
            return AliasGrad.INSTANCE;
        } else if (op instanceof Conv2d c) {
            return new Conv2dGrad(c);
        } else if (op instanceof ConvTranspose2d c) {
            return new ConvTranspose2dGrad(c);
        } else if (op instanceof Pool2d p) {
            return new Pool2dGrad(p);
        } else if (op instanceof GlobalPool p) {
            return new GlobalPoolGrad(p);
        } else if (op instanceof Dense d) {
            return new DenseGrad(d);
        } else if (op instanceof Dropout d) {
            return new DropoutGrad(d);
        } else if (op instanceof BatchNorm b) {
            return new BatchNormGrad(b);
        } else if (op instanceof Activate a) {
            return new ActivateGrad(a);
        } else if (op instanceof Maxout m) {
            return new MaxoutGrad(m);
        } else if (op instanceof Add) {
            return new AddGrad();
        } else if (op instanceof Concat) {
            return new ConcatGrad();
        } else if (op instanceof PixelShuffle p) {
            return new PixelShuffleGrad(p);
        } else if (op instanceof Normalize || op instanceof Rescale) {
            return new AffineGrad(op);
        } else if (op instanceof Pad p) {
            return new PadGrad(p);
        } else if (op instanceof ConvPool) {
            throw new IllegalArgumentException("no gradient rule for " + op.kind()
                    + ": conv+pool fusion is an inference-only pass; train the unfused graph");
        }
        throw new IllegalArgumentException("no gradient rule for " + op.kind());
    }
}
