package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Shape;

/**
 * A conv2d with bias and activation fused with the pool that reads it ({@link ConvPool}): the
 * conv's product over scratch rows ({@link ConvRows}) computes each output channel's plane in
 * {@code acc}, and instead of copying it out, the pool's windows read it there
 * ({@link PlanePool}), so the conv's full map is never stored. Weights are laid out as for
 * {@link Conv2dEmitter}; a layer {@link ScalarWinograd#eligible} takes runs Winograd F(2x2,3x3) and pools
 * each channel's plane the same way.
 */
final class ConvPoolEmitter implements LayerEmitter {
    private final ConvPool op;

    ConvPoolEmitter(ConvPool op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Conv2d conv = op.conv();
        Shape in = ctx.in();
        Shape mid = op.convShape(in);
        Shape out = ctx.out();
        ConvGeometry geometry = ConvGeometry.of(conv, in, mid);
        ConvLoops.Layer shape = new ConvLoops.Layer(geometry, 0, -1, conv.activation());
        ConvLoops.Layer named = ConvLoops.Layer.named(ctx, geometry, conv.bias(), conv.activation(),
                w -> ConvRows.weightLayout(shape, w));
        PlanePool pool = new PlanePool(op.pool(), mid.height(), mid.width(), out.height(), out.width());
        CodeBlock body;
        if (ScalarWinograd.eligible(geometry)) {
            body = ScalarWinograd.body(ScalarWinograd.request(ctx, named, true), ConvRows.transposedWeights(shape), pool);
        } else {
            body = ConvRows.body(ConvRows.request(ctx, named), pool);
        }
        return LayerCode.of(ctx.methodWithRows(true).addCode(body).build(), true);
    }
}
