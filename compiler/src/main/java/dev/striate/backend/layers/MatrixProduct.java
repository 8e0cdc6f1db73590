package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterSpec;
import dev.striate.ir.ConvGeometry;
import java.util.List;

/**
 * The matrix product a batched layer form ({@link ConvBatch}, {@link DenseEmitter#emitBatch}) is written
 * around, pluggable because it is the one part that depends on where the code runs: {@code C (+)= A B} with {@code A} the
 * layer's weights, row-major {@code [m][k]}, and {@code B} columns of unfolded input,
 * {@code [k][cols]}, all flat {@code float[]}s at offsets. The trainer's implementation calls the
 * runtime's vectorized {@code Gemm} (the weights packed once per call); a shipped class may use
 * only {@code java.base}, so it would take a product written into the class.
 *
 * <p>Expressions ({@code String}s) are Java code of the batched method; {@code cols} may be
 * computed at run time.
 */
public interface MatrixProduct {

    /** Parameters the product adds at the end of the batched method (the trainer's {@code Gemm}). */
    List<ParameterSpec> parameters();

    /** Arguments for {@link #parameters}, in the caller's terms. */
    List<String> arguments();

    /**
     * Code run once per call before any {@link #multiplyShared}: the weights {@code a [m][k]} at
     * offset 0 are the same operand of every shared product (the trainer packs them here).
     */
    void prepareShared(CodeBlock.Builder b, int m, int k, String a);

    /** {@code C (+)= A B} with the {@linkplain #prepareShared prepared} weights. */
    void multiplyShared(CodeBlock.Builder b, String cols, String bArray, String bOffset, int bRow, String c,
                        String cOffset, int cRow, boolean accumulate);

    /** {@code C (+)= A B} with {@code A [m][k]} at {@code aOffset}, its rows {@code k} apart. */
    void multiply(CodeBlock.Builder b, int m, String cols, int k, String a, String aOffset, String bArray,
                  String bOffset, int bRow, String c, String cOffset, int cRow, boolean accumulate);

    /**
     * {@code Z [rows][cols] += X [rows][k] W} with {@code W [k][cols]} (a dense layer's weights transposed), all
     * from offset 0, each sum in the order of the class's dense layer ({@code DenseEmitter}: from Z's value, four
     * inputs at a time as {@code z + x0 * w0 + x1 * w1 + x2 * w2 + x3 * w3}, each product and sum rounded, then
     * the last {@code k % 4} one at a time), so that the results are the class's bits; {@code rows} may be
     * computed at run time.
     */
    void denseRows(CodeBlock.Builder b, String rows, int cols, int k, String x, String w, String z);

    /**
     * True when this product computes the convolution {@code g} itself ({@link #convolve}: the trainer's
     * runtime runs 3x3 stride-1 layers with many channels as Winograd F(2x2,3x3)); false, the default,
     * when the caller unfolds the windows and multiplies.
     */
    default boolean convolves(ConvGeometry g) {
        return false;
    }

    /**
     * {@code y = conv(x, w) + bias} for the {@code n} samples of the batched method ({@code bias} null:
     * none), CHW, the weights in PyTorch's layout; only when {@link #convolves} is true.
     */
    default void convolve(CodeBlock.Builder b, ConvGeometry g, String w, String bias, String x, String y) {
        throw new UnsupportedOperationException("this product has no convolution of its own");
    }
}
