package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant's groups=1 convolution kernels on filter counts the PyTorch fixtures do not
 * reach, against the reference interpreter (double precision, random weights): 6 filters (one
 * partial vector, stored whole over the next pixel's channels), 37 (a partial vector in a 3-vector
 * group), 70 (a full 4-vector group, then a single partial vector: on AVX-512 and AVX2 alike, the
 * case where a whole-vector store would overwrite channels another group already wrote) and 64
 * (whole vectors); with a 3x3 padded conv (the flat kernels), 1x1 convs without and with stride and
 * padding (the GEMM kernels), 2x2 max and average pools on odd sizes (the 2x2 kernel) and a dense
 * layer (the GEMM kernels on one pixel).
 */
class VectorConvTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} filters")
    @ValueSource(ints = {6, 37, 64, 70})
    void convKernelsMatchTheReference(int filters) throws IOException {
        String model = "model ConvVector {\n"
                + "    input x: [3, 11, 13]\n"
                + "    conv2d(" + filters + ", kernel=3, padding=1, activation=relu, name=\"a\")\n"
                + "    conv2d(" + filters + ", kernel=1, activation=tanh, name=\"b\")\n"
                + "    maxpool(size=2)\n"
                + "    conv2d(" + filters + ", kernel=1, stride=2, padding=1, activation=relu, name=\"c\")\n"
                + "    avgpool(size=2)\n"
                + "    flatten\n"
                + "    dense(" + filters + ", activation=relu, name=\"d\")\n"
                + "}\n";
        String java = VectorCheck.compileAndCheck(dir, "ConvVector", model, 3 * 11 * 13, filters);
        assertTrue(java.contains("gemm(") && java.contains("conv(") && java.contains("maxPool2x2(")
                && java.contains("avgPool2x2("), "the model reaches the flat, GEMM and 2x2 pool kernels");
    }

    /**
     * The kernel-row convolution ({@code convRows}: the GEMM kernels once per kernel row, the sums stored in
     * the output between rows), forced on with {@code -Dstriate.rowKernels=true} (by default only JDK 25 and
     * later run it): 3x3 padded (relu), 5x5 with stride 2 (tanh) and a 3x3 kernel with row dilation 2 (relu),
     * on 12 and 16 input channels (rows of 36, 80 and 48 steps); the last layer with filter counts of whole
     * vectors (16, 64: blocks of 1 and 4 vectors, first, middle and last rows) and not (37, 70: the
     * offset-table fallback).
     */
    @ParameterizedTest(name = "{0} filters")
    @ValueSource(ints = {16, 37, 64, 70})
    void rowKernelsMatchTheReference(int filters) throws IOException {
        String model = "model RowVector {\n"
                + "    input x: [12, 13, 11]\n"
                + "    conv2d(16, kernel=3, padding=1, activation=relu, name=\"a\")\n"
                + "    conv2d(16, kernel=5, stride=2, padding=2, activation=tanh, name=\"b\")\n"
                + "    conv2d(" + filters + ", kernel=3, dilation=[2, 1], padding=[2, 1], activation=relu, name=\"c\")\n"
                + "}\n";
        String previous = System.setProperty("striate.rowKernels", "true");
        try {
            String java = VectorCheck.compileAndCheck(dir, "RowVector", model, 12 * 13 * 11, filters);
            assertTrue(java.contains("convRows(") && java.contains("rows4x6("), "the model reaches the kernel-row path");
        } finally {
            if (previous == null) {
                System.clearProperty("striate.rowKernels");
            } else {
                System.setProperty("striate.rowKernels", previous);
            }
        }
    }
}
