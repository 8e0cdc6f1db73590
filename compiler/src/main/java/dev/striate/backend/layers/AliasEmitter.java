package dev.striate.backend.layers;

/**
 * The emitter of ops that have no inference code: the model input (its values arrive in the
 * caller's array) and the {@linkplain dev.striate.ir.Op#isInferenceView() views} (flatten,
 * dropout), whose value shares the storage of their input. The class emitter skips their nodes
 * ({@link EmitterFactory#hasCode}), so {@link #emit} is never called.
 */
final class AliasEmitter implements LayerEmitter {
    static final AliasEmitter INSTANCE = new AliasEmitter();

    private AliasEmitter() {
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        throw new IllegalStateException(ctx.node().name() + " (" + ctx.node().op().kind()
                + ") is the input or a view and has no method; an op that stops being a view needs an emitter");
    }
}
