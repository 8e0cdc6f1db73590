package dev.striate.backend.layers;

import dev.striate.ir.Conv2d;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;

/**
 * Conv2d fused with bias and activation, as a matrix product over scratch rows ({@link ConvRows});
 * the weights are stored in the order {@link ConvRows#weightLayout} reads them.
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
        Padding.Explicit p = op.resolvedPadding(in);
        ConvLoops.Geometry shape = geometry(op, in, out, p, 0, -1);
        int wOff = ctx.blob().add(ConvRows.weightLayout(shape, ctx.weight("weight")));
        int bOff = op.bias() ? ctx.blob().add(ctx.weight("bias")) : -1;
        ConvLoops.Geometry g = geometry(op, in, out, p, wOff, bOff);
        ConvRows.request(ctx.rows(), g);
        return new LayerCode(ctx.methodWithRows(true).addCode(ConvRows.body(g)).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }

    /** The geometry of {@code op} from {@code in} to {@code out}, weights at {@code wOff}, bias at {@code bOff} (or -1). */
    static ConvLoops.Geometry geometry(Conv2d op, Shape in, Shape out, Padding.Explicit p, int wOff, int bOff) {
        return new ConvLoops.Geometry(false, in.channels(), in.height(), in.width(),
                out.channels(), out.height(), out.width(), op.kernelH(), op.kernelW(), op.strideH(), op.strideW(),
                op.dilationH(), op.dilationW(), p.top(), p.left(), op.groups(), wOff, bOff, op.activation());
    }
}
