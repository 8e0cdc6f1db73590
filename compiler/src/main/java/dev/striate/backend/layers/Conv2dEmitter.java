package dev.striate.backend.layers;

import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.Shape;

/**
 * Conv2d fused with bias and activation, as a matrix product over scratch rows ({@link ConvRows});
 * the weights are stored in the order {@link ConvRows#weightLayout} reads them. Its batched form
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
        ConvLoops.Layer g = ConvRows.request(ctx, named);
        return new LayerCode(ctx.methodWithRows(true).addCode(ConvRows.body(g)).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }

    @Override
    public BatchCode emitBatch(LayerContext ctx, MatrixProduct product) {
        return ConvBatch.emit(ctx, op, product);
    }
}
