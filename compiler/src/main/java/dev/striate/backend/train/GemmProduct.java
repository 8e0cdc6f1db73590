package dev.striate.backend.train;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterSpec;
import dev.striate.autodiff.TrainWinograd;
import dev.striate.backend.layers.MatrixProduct;
import dev.striate.ir.ConvGeometry;
import dev.striate.train.Gemm;
import dev.striate.train.Kernels;
import java.util.List;

/**
 * The trainer's {@link MatrixProduct}: the worker's {@code Gemm} of the runtime (its kernel, Vector
 * API or scalar, picked at run time), the shared weights packed once per call
 * ({@code setA}, then {@code multiplyByA}); dense layers on the runtime's {@code Kernels.dense}.
 */
final class GemmProduct implements MatrixProduct {
    private final String gemm;

    /** {@code gemm}: the worker's {@code Gemm} as the caller names it. */
    GemmProduct(String gemm) {
        this.gemm = gemm;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.builder(Gemm.class, "gemm").build());
    }

    @Override
    public List<String> arguments() {
        return List.of(gemm);
    }

    @Override
    public void prepareShared(CodeBlock.Builder b, int m, int k, String a) {
        b.addStatement("gemm.setA($L, $L, $L, 0, $L, 1)", m, k, a, k);
    }

    @Override
    public void multiplyShared(CodeBlock.Builder b, String cols, String bArray, String bOffset, int bRow, String c,
                               String cOffset, int cRow, boolean accumulate) {
        b.addStatement("gemm.multiplyByA($L, $L, $L, $L, 1, $L, $L, $L, $L)", cols, bArray, bOffset, bRow, c, cOffset, cRow,
                accumulate);
    }

    @Override
    public void multiply(CodeBlock.Builder b, int m, String cols, int k, String a, String aOffset, String bArray,
                         String bOffset, int bRow, String c, String cOffset, int cRow, boolean accumulate) {
        b.addStatement("gemm.multiply($L, $L, $L, $L, $L, $L, 1, $L, $L, $L, 1, $L, $L, $L, $L)", m, cols, k, a, aOffset, k,
                bArray, bOffset, bRow, c, cOffset, cRow, accumulate);
    }

    @Override
    public void denseRows(CodeBlock.Builder b, String rows, int cols, int k, String x, String w, String z) {
        b.addStatement("$T.dense($L, $L, $L, $L, $L, $L)", Kernels.class, x, rows, k, w, cols, z);
    }

    @Override
    public boolean convolves(ConvGeometry g) {
        return TrainWinograd.chosen(g);
    }

    @Override
    public void convolve(CodeBlock.Builder b, ConvGeometry g, String w, String bias, String x, String y) {
        TrainWinograd.forward(b, g, "gemm", w, bias, x, y);
    }
}
