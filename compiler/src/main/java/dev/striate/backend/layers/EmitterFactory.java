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
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.UntiedBias;

/**
 * The one place that maps an op kind to its emitter of plain-Java inference code: a visitor over
 * the sealed {@link Op}, so a new op kind does not compile until it has a line here. Nodes with
 * no code (the model {@link Input} and the {@linkplain Op#isInferenceView() views}) are skipped by
 * the class emitter, which asks {@link #hasCode}; their visits answer {@link AliasEmitter}, which
 * refuses to emit.
 *
 * <p>A back end whose emitters differ for some kinds (a vector variant, say) is a second
 * {@code OpVisitor<LayerEmitter>} beside this one, or a subclass overriding those visits.
 */
public class EmitterFactory implements OpVisitor<LayerEmitter> {
    /** The plain-Java emitters. */
    public static final EmitterFactory PLAIN = new EmitterFactory();

    protected EmitterFactory() {
    }

    /** The plain-Java emitter of {@code op}. */
    public static LayerEmitter forOp(Op op) {
        return op.accept(PLAIN);
    }

    /**
     * True when a node of {@code op} gets a layer method at inference; false for the model input
     * (its values are the caller's array) and for views, which share their input's storage.
     */
    public static boolean hasCode(Op op) {
        return !(op instanceof Input) && !op.isInferenceView();
    }

    @Override
    public LayerEmitter visitInput(Input op) {
        return AliasEmitter.INSTANCE;
    }

    @Override
    public LayerEmitter visitConv2d(Conv2d op) {
        return new Conv2dEmitter(op);
    }

    @Override
    public LayerEmitter visitConvTranspose2d(ConvTranspose2d op) {
        return new ConvTranspose2dEmitter(op);
    }

    @Override
    public LayerEmitter visitPool2d(Pool2d op) {
        return new Pool2dEmitter(op);
    }

    @Override
    public LayerEmitter visitGlobalPool(GlobalPool op) {
        return new GlobalPoolEmitter(op);
    }

    @Override
    public LayerEmitter visitDense(Dense op) {
        return new DenseEmitter(op);
    }

    @Override
    public LayerEmitter visitFlatten(Flatten op) {
        return AliasEmitter.INSTANCE;
    }

    @Override
    public LayerEmitter visitDropout(Dropout op) {
        return AliasEmitter.INSTANCE;
    }

    @Override
    public LayerEmitter visitBatchNorm(BatchNorm op) {
        return new BatchNormEmitter(op);
    }

    @Override
    public LayerEmitter visitActivate(Activate op) {
        return new ActivateEmitter(op);
    }

    @Override
    public LayerEmitter visitMaxout(Maxout op) {
        return new MaxoutEmitter(op);
    }

    @Override
    public LayerEmitter visitAdd(Add op) {
        return new AddEmitter();
    }

    @Override
    public LayerEmitter visitConcat(Concat op) {
        return new ConcatEmitter();
    }

    @Override
    public LayerEmitter visitPixelShuffle(PixelShuffle op) {
        return new PixelShuffleEmitter(op);
    }

    @Override
    public LayerEmitter visitNormalize(Normalize op) {
        return new NormalizeEmitter(op);
    }

    @Override
    public LayerEmitter visitRescale(Rescale op) {
        return new RescaleEmitter(op);
    }

    @Override
    public LayerEmitter visitPad(Pad op) {
        return new PadEmitter(op);
    }

    @Override
    public LayerEmitter visitConvPool(ConvPool op) {
        return new ConvPoolEmitter(op);
    }

    @Override
    public LayerEmitter visitUntiedBias(UntiedBias op) {
        return new UntiedBiasEmitter();
    }
}
