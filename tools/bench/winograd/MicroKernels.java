import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The register-blocked micro-kernels of the generated vector classes ({@code SimdMicroKernels.rowKernel}), as the probe runs them. */
final class MicroKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private MicroKernels() {
    }

    /** 4 output vectors x 6 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x6(float[] x, int x0, int x1, int x2, int x3, int x4, int x5, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a01 = FloatVector.fromArray(S, b, bo + 1 * bs + 0 * L);
        FloatVector a02 = FloatVector.fromArray(S, b, bo + 2 * bs + 0 * L);
        FloatVector a03 = FloatVector.fromArray(S, b, bo + 3 * bs + 0 * L);
        FloatVector a04 = FloatVector.fromArray(S, b, bo + 4 * bs + 0 * L);
        FloatVector a05 = FloatVector.fromArray(S, b, bo + 5 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a11 = FloatVector.fromArray(S, b, bo + 1 * bs + 1 * L);
        FloatVector a12 = FloatVector.fromArray(S, b, bo + 2 * bs + 1 * L);
        FloatVector a13 = FloatVector.fromArray(S, b, bo + 3 * bs + 1 * L);
        FloatVector a14 = FloatVector.fromArray(S, b, bo + 4 * bs + 1 * L);
        FloatVector a15 = FloatVector.fromArray(S, b, bo + 5 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a21 = FloatVector.fromArray(S, b, bo + 1 * bs + 2 * L);
        FloatVector a22 = FloatVector.fromArray(S, b, bo + 2 * bs + 2 * L);
        FloatVector a23 = FloatVector.fromArray(S, b, bo + 3 * bs + 2 * L);
        FloatVector a24 = FloatVector.fromArray(S, b, bo + 4 * bs + 2 * L);
        FloatVector a25 = FloatVector.fromArray(S, b, bo + 5 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        FloatVector a31 = FloatVector.fromArray(S, b, bo + 1 * bs + 3 * L);
        FloatVector a32 = FloatVector.fromArray(S, b, bo + 2 * bs + 3 * L);
        FloatVector a33 = FloatVector.fromArray(S, b, bo + 3 * bs + 3 * L);
        FloatVector a34 = FloatVector.fromArray(S, b, bo + 4 * bs + 3 * L);
        FloatVector a35 = FloatVector.fromArray(S, b, bo + 5 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
            FloatVector i1 = FloatVector.broadcast(S, x[x1 + s]);
            a01 = w0.fma(i1, a01);
            a11 = w1.fma(i1, a11);
            a21 = w2.fma(i1, a21);
            a31 = w3.fma(i1, a31);
            FloatVector i2 = FloatVector.broadcast(S, x[x2 + s]);
            a02 = w0.fma(i2, a02);
            a12 = w1.fma(i2, a12);
            a22 = w2.fma(i2, a22);
            a32 = w3.fma(i2, a32);
            FloatVector i3 = FloatVector.broadcast(S, x[x3 + s]);
            a03 = w0.fma(i3, a03);
            a13 = w1.fma(i3, a13);
            a23 = w2.fma(i3, a23);
            a33 = w3.fma(i3, a33);
            FloatVector i4 = FloatVector.broadcast(S, x[x4 + s]);
            a04 = w0.fma(i4, a04);
            a14 = w1.fma(i4, a14);
            a24 = w2.fma(i4, a24);
            a34 = w3.fma(i4, a34);
            FloatVector i5 = FloatVector.broadcast(S, x[x5 + s]);
            a05 = w0.fma(i5, a05);
            a15 = w1.fma(i5, a15);
            a25 = w2.fma(i5, a25);
            a35 = w3.fma(i5, a35);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a01.max(lo).intoArray(y, yo + 1 * ys + 0 * L);
        a02.max(lo).intoArray(y, yo + 2 * ys + 0 * L);
        a03.max(lo).intoArray(y, yo + 3 * ys + 0 * L);
        a04.max(lo).intoArray(y, yo + 4 * ys + 0 * L);
        a05.max(lo).intoArray(y, yo + 5 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a11.max(lo).intoArray(y, yo + 1 * ys + 1 * L);
        a12.max(lo).intoArray(y, yo + 2 * ys + 1 * L);
        a13.max(lo).intoArray(y, yo + 3 * ys + 1 * L);
        a14.max(lo).intoArray(y, yo + 4 * ys + 1 * L);
        a15.max(lo).intoArray(y, yo + 5 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a21.max(lo).intoArray(y, yo + 1 * ys + 2 * L);
        a22.max(lo).intoArray(y, yo + 2 * ys + 2 * L);
        a23.max(lo).intoArray(y, yo + 3 * ys + 2 * L);
        a24.max(lo).intoArray(y, yo + 4 * ys + 2 * L);
        a25.max(lo).intoArray(y, yo + 5 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
        a31.max(lo).intoArray(y, yo + 1 * ys + 3 * L);
        a32.max(lo).intoArray(y, yo + 2 * ys + 3 * L);
        a33.max(lo).intoArray(y, yo + 3 * ys + 3 * L);
        a34.max(lo).intoArray(y, yo + 4 * ys + 3 * L);
        a35.max(lo).intoArray(y, yo + 5 * ys + 3 * L);
    }

    /** 4 output vectors x 3 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x3(float[] x, int x0, int x1, int x2, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a01 = FloatVector.fromArray(S, b, bo + 1 * bs + 0 * L);
        FloatVector a02 = FloatVector.fromArray(S, b, bo + 2 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a11 = FloatVector.fromArray(S, b, bo + 1 * bs + 1 * L);
        FloatVector a12 = FloatVector.fromArray(S, b, bo + 2 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a21 = FloatVector.fromArray(S, b, bo + 1 * bs + 2 * L);
        FloatVector a22 = FloatVector.fromArray(S, b, bo + 2 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        FloatVector a31 = FloatVector.fromArray(S, b, bo + 1 * bs + 3 * L);
        FloatVector a32 = FloatVector.fromArray(S, b, bo + 2 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
            FloatVector i1 = FloatVector.broadcast(S, x[x1 + s]);
            a01 = w0.fma(i1, a01);
            a11 = w1.fma(i1, a11);
            a21 = w2.fma(i1, a21);
            a31 = w3.fma(i1, a31);
            FloatVector i2 = FloatVector.broadcast(S, x[x2 + s]);
            a02 = w0.fma(i2, a02);
            a12 = w1.fma(i2, a12);
            a22 = w2.fma(i2, a22);
            a32 = w3.fma(i2, a32);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a01.max(lo).intoArray(y, yo + 1 * ys + 0 * L);
        a02.max(lo).intoArray(y, yo + 2 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a11.max(lo).intoArray(y, yo + 1 * ys + 1 * L);
        a12.max(lo).intoArray(y, yo + 2 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a21.max(lo).intoArray(y, yo + 1 * ys + 2 * L);
        a22.max(lo).intoArray(y, yo + 2 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
        a31.max(lo).intoArray(y, yo + 1 * ys + 3 * L);
        a32.max(lo).intoArray(y, yo + 2 * ys + 3 * L);
    }

    /** 4 output vectors x 1 pixels: the kernel-row kernel of the generated classes. */
    static void rows4x1(float[] x, int x0, int k, float[] w, int wo, int wv,
            float[] b, int bo, int bs, float[] y, int yo, int ys, float floor) {
        FloatVector a00 = FloatVector.fromArray(S, b, bo + 0 * bs + 0 * L);
        FloatVector a10 = FloatVector.fromArray(S, b, bo + 0 * bs + 1 * L);
        FloatVector a20 = FloatVector.fromArray(S, b, bo + 0 * bs + 2 * L);
        FloatVector a30 = FloatVector.fromArray(S, b, bo + 0 * bs + 3 * L);
        for (int s = 0; s < k; s++) {
            FloatVector w0 = FloatVector.fromArray(S, w, wo + 0 * wv + s * L);
            FloatVector w1 = FloatVector.fromArray(S, w, wo + 1 * wv + s * L);
            FloatVector w2 = FloatVector.fromArray(S, w, wo + 2 * wv + s * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wo + 3 * wv + s * L);
            FloatVector i0 = FloatVector.broadcast(S, x[x0 + s]);
            a00 = w0.fma(i0, a00);
            a10 = w1.fma(i0, a10);
            a20 = w2.fma(i0, a20);
            a30 = w3.fma(i0, a30);
        }
        FloatVector lo = FloatVector.broadcast(S, floor);
        a00.max(lo).intoArray(y, yo + 0 * ys + 0 * L);
        a10.max(lo).intoArray(y, yo + 0 * ys + 1 * L);
        a20.max(lo).intoArray(y, yo + 0 * ys + 2 * L);
        a30.max(lo).intoArray(y, yo + 0 * ys + 3 * L);
    }
}
