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
}
