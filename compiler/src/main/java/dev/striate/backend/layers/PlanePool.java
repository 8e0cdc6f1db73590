package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.Pool2d;
import dev.striate.text.Lit;

/**
 * The pooling step of a fused conv + pool ({@link ConvPoolEmitter}): pools one output channel's
 * activated plane, whole in scratch row {@code acc} ({@code inH x inW}), into its pooled plane of
 * {@code out}. The pool has no padding (the pass checks it). Windows of at most
 * {@link ConvLoops#MAX_UNROLLED_TAPS} cells are unrolled with literal offsets; larger ones loop.
 * Cells are combined in the order {@link Pool2dEmitter} uses, so results match the unfused code
 * bit for bit.
 */
record PlanePool(Pool2d op, int inH, int inW, int outH, int outW) {

    /** Emits the pooling of plane {@code acc} for output channel {@code channel} (a variable name). */
    void emit(CodeBlock.Builder b, String channel) {
        emit(b, "acc", channel);
    }

    /** Emits the pooling of the plane in scratch row {@code acc} (a variable name) for output channel {@code channel}. */
    void emit(CodeBlock.Builder b, String acc, String channel) {
        boolean max = op.poolKind() == Pool2d.Kind.MAX;
        int kh = op.kernelH();
        int kw = op.kernelW();
        b.addStatement("int po = $L * $L", channel, outH * outW);
        b.beginControlFlow("for (int py = 0; py < $L; py++)", outH)
                .addStatement("int pr = py * $L", op.strideH() * inW)
                .addStatement("int pq = po + py * $L", outW)
                .beginControlFlow("for (int px = 0; px < $L; px++)", outW)
                .addStatement("int pi = pr + $L", Lit.times("px", op.strideW()));
        if (kh * kw <= ConvLoops.MAX_UNROLLED_TAPS) {
            b.addStatement("float pm = $L[pi]", acc);
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    if (ky == 0 && kx == 0) {
                        continue;
                    }
                    int at = ky * inW + kx;
                    b.addStatement(max ? "pm = Math.max(pm, $L[pi + $L])" : "pm += $L[pi + $L]", acc, at);
                }
            }
        } else {
            b.addStatement(max ? "float pm = Float.NEGATIVE_INFINITY" : "float pm = 0f")
                    .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh)
                    .addStatement("int pk = pi + ky * $L", inW)
                    .beginControlFlow("for (int kx = 0; kx < $L; kx++)", kw)
                    .addStatement(max ? "pm = Math.max(pm, $L[pk + kx])" : "pm += $L[pk + kx]", acc)
                    .endControlFlow()
                    .endControlFlow();
        }
        if (max) {
            b.addStatement("out[pq + px] = pm");
        } else {
            b.addStatement("out[pq + px] = pm / $L", Lit.f(kh * kw));
        }
        b.endControlFlow().endControlFlow();
    }
}
