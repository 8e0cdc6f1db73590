package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;

/**
 * Max or average pooling. Without padding, windows of at most {@link ConvLoops#MAX_UNROLLED_TAPS}
 * cells are unrolled; otherwise each window loops over the rows and columns inside the input,
 * so padded cells never win a max and, for the average, count only with {@code count_include_pad}.
 */
final class Pool2dEmitter implements LayerEmitter {
    private final Pool2d op;

    Pool2dEmitter(Pool2d op) {
        this.op = op;
    }

    @Override
    public LayerCode emit(LayerContext ctx) {
        Shape in = ctx.in();
        Shape out = ctx.out();
        Padding.Explicit p = op.resolvedPadding(in);
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        int kh = op.kernelH();
        int kw = op.kernelW();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .addStatement("int c0 = c * $L", in.height() * in.width())
                .addStatement("int o = c * $L", out.height() * out.width())
                .beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height());
        if (p.isZero() && kh * kw <= ConvLoops.MAX_UNROLLED_TAPS) {
            b.addStatement("int r = c0 + oy * $L", op.strideH() * in.width())
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                    .addStatement("int i = r + ox * $L", op.strideW())
                    .addStatement("float acc = in[i]");
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    if (ky == 0 && kx == 0) {
                        continue;
                    }
                    int at = ky * in.width() + kx;
                    if (max) {
                        b.addStatement("acc = Math.max(acc, in[i + $L])", at);
                    } else {
                        b.addStatement("acc += in[i + $L]", at);
                    }
                }
            }
            if (max) {
                b.addStatement("out[o + oy * $L + ox] = acc", out.width());
            } else {
                b.addStatement("out[o + oy * $L + ox] = acc / $L", out.width(), Lit.f(kh * kw));
            }
        } else {
            b.addStatement("int iy = $L", Lit.plus(Lit.times("oy", op.strideH()), -p.top()))
                    .addStatement("int ky0 = Math.max(0, -iy)")
                    .addStatement("int ky1 = Math.min($L, $L - iy)", kh, in.height())
                    .beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width())
                    .addStatement("int ix = $L", Lit.plus(Lit.times("ox", op.strideW()), -p.left()))
                    .addStatement("int kx0 = Math.max(0, -ix)")
                    .addStatement("int kx1 = Math.min($L, $L - ix)", kw, in.width())
                    .addStatement(max ? "float acc = Float.NEGATIVE_INFINITY" : "float acc = 0f")
                    .beginControlFlow("for (int ky = ky0; ky < ky1; ky++)")
                    .addStatement("int r = c0 + (iy + ky) * $L + ix", in.width())
                    .beginControlFlow("for (int kx = kx0; kx < kx1; kx++)")
                    .addStatement(max ? "acc = Math.max(acc, in[r + kx])" : "acc += in[r + kx]")
                    .endControlFlow()
                    .endControlFlow();
            if (max) {
                b.addStatement("out[o + oy * $L + ox] = acc", out.width());
            } else if (op.countIncludePad()) {
                b.addStatement("out[o + oy * $L + ox] = acc / $L", out.width(), Lit.f(kh * kw));
            } else {
                b.addStatement("out[o + oy * $L + ox] = acc / ((ky1 - ky0) * (kx1 - kx0))", out.width());
            }
        }
        b.endControlFlow().endControlFlow().endControlFlow();
        return LayerCode.of(ctx.method(false).addCode(b.build()).build(), false);
    }
}
