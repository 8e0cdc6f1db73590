package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.Shape;

/**
 * Conv2d fused with bias and activation, as a matrix product over scratch rows ({@link ConvRows}), or
 * as Winograd F(2x2,3x3) for the 3x3 layers {@link ScalarWinograd#eligible} takes; the weights are
 * stored in the order {@link ConvRows#weightLayout} reads them either way. Its batched form
 * ({@link ConvBatch}, several samples' windows in one product) is the trainer's forward pass.
 */
final class Conv2dEmitter implements LayerEmitter {
    private final Conv2d op;

    Conv2dEmitter(Conv2d op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        ConvGeometry conv = ConvGeometry.of(op, in, out);
        ConvLoops.Layer shape = new ConvLoops.Layer(conv, 0, -1, op.activation());
        ConvLoops.Layer named = ConvLoops.Layer.named(ctx, conv, op.bias(), op.activation(),
                w -> ConvRows.weightLayout(shape, w));
        CodeBlock body;
        if (ScalarWinograd.eligible(conv)) {
            body = ScalarWinograd.body(ScalarWinograd.request(ctx, named, false), ConvRows.transposedWeights(shape), null);
        } else {
            body = ConvRows.body(ConvRows.request(ctx, named));
        }
        return new LayerCode(ctx.methodWithRows(true).addCode(body).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }

    @Override
    public BatchCode emitBatch(LayerContext ctx, MatrixProduct product) {
        return ConvBatch.emit(ctx, op, product);
    }
}
