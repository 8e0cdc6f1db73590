package dev.striate.backend.layers;

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

/** The one place that maps an op kind to its emitter. */
public final class EmitterFactory {
    private EmitterFactory() {
    }

    public static LayerEmitter forOp(Op op) {
        if (op instanceof Input || op instanceof Flatten || op instanceof Dropout) {
            return AliasEmitter.INSTANCE;
        } else if (op instanceof Conv2d c) {
            return new Conv2dEmitter(c);
        } else if (op instanceof ConvPool c) {
            return new ConvPoolEmitter(c);
        } else if (op instanceof ConvTranspose2d c) {
            return new ConvTranspose2dEmitter(c);
        } else if (op instanceof Pool2d p) {
            return new Pool2dEmitter(p);
        } else if (op instanceof GlobalPool p) {
            return new GlobalPoolEmitter(p);
        } else if (op instanceof Dense d) {
            return new DenseEmitter(d);
        } else if (op instanceof BatchNorm b) {
            return new BatchNormEmitter(b);
        } else if (op instanceof Activate a) {
            return new ActivateEmitter(a);
        } else if (op instanceof Maxout m) {
            return new MaxoutEmitter(m);
        } else if (op instanceof Add) {
            return new AddEmitter();
        } else if (op instanceof Concat) {
            return new ConcatEmitter();
        } else if (op instanceof PixelShuffle p) {
            return new PixelShuffleEmitter(p);
        } else if (op instanceof Normalize n) {
            return new NormalizeEmitter(n);
        } else if (op instanceof Rescale r) {
            return new RescaleEmitter(r);
        } else if (op instanceof Pad p) {
            return new PadEmitter(p);
        }
        throw new IllegalArgumentException("no emitter for " + op.kind());
    }
}
