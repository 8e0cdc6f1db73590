package dev.striate.backend.layers;

/**
 * Ops that compute nothing at inference: the input (its values arrive in the caller's array),
 * flatten (a channel-major map is already its flat vector) and dropout (identity). Their value
 * shares the storage of their input.
 */
final class AliasEmitter implements LayerEmitter {
    static final AliasEmitter INSTANCE = new AliasEmitter();

    private AliasEmitter() {
    }

    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        throw new IllegalStateException(ctx.node().name() + " aliases its input and has no method");
    }
}
