package dev.striate.autodiff;

/**
 * Ops that only reinterpret their input's memory (the model input, flatten): the node shares its
 * input's activation and gradient arrays, so there is nothing to compute in either direction.
 */
final class AliasGrad implements GradRule {
    static final AliasGrad INSTANCE = new AliasGrad();

    private AliasGrad() {
    }

    @Override
    public boolean aliasesInput() {
        return true;
    }

    @Override
    public void forward(RuleContext ctx) {
        throw new IllegalStateException("aliases emit no forward code");
    }

    @Override
    public void backward(RuleContext ctx) {
        throw new IllegalStateException("aliases emit no backward code");
    }
}
