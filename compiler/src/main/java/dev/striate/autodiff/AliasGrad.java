package dev.striate.autodiff;

/**
 * The rule of ops with no trainer code: the model input and the
 * {@linkplain dev.striate.ir.Op#isTrainingView() training views} (flatten), whose node shares its
 * input's activation and gradient arrays. The trainer skips their nodes
 * ({@link GradRules#hasCode}), so neither method is ever called.
 */
final class AliasGrad implements GradRule {
    static final AliasGrad INSTANCE = new AliasGrad();

    private AliasGrad() {
    }

    @Override
    public void forward(RuleContext ctx) {
        throw new IllegalStateException("the input and views emit no forward code");
    }

    @Override
    public void backward(RuleContext ctx) {
        throw new IllegalStateException("the input and views emit no backward code");
    }
}
