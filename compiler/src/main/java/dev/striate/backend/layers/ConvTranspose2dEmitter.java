package dev.striate.backend.layers;

import dev.striate.ir.ConvGeometry;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Shape;

/**
 * ConvTranspose2d fused with bias and activation, as a scatter: each input pixel adds
 * {@code k * x} to the output pixels its taps reach. The PyTorch weight {@code [C, F/g, kh, kw]}
 * is re-laid out as {@code [F][C/g][kh][kw]} so the loops read it in order.
 */
final class ConvTranspose2dEmitter implements LayerEmitter {
    private final ConvTranspose2d op;

    ConvTranspose2dEmitter(ConvTranspose2d op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        ConvLoops.Layer g = ConvLoops.Layer.named(ctx, ConvGeometry.of(op, in, out), op.bias(), op.activation(),
                w -> relayout(w, in.channels(), out.channels()));
        return new LayerCode(ctx.method(true).addCode(ConvLoops.body(g)).build(), true,
                ActivationCode.softmaxFor(ctx, op.activation()));
    }

    private float[] relayout(float[] w, int inC, int outC) {
        int cpg = inC / op.groups();
        int fpg = outC / op.groups();
        int taps = op.kernelH() * op.kernelW();
        float[] r = new float[w.length];
        for (int f = 0; f < outC; f++) {
            int group = f / fpg;
            for (int ic = 0; ic < cpg; ic++) {
                int c = group * cpg + ic;
                System.arraycopy(w, (c * fpg + f % fpg) * taps, r, (f * cpg + ic) * taps, taps);
            }
        }
        return r;
    }
}
