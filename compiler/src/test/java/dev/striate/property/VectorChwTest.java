package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant's CHW kernels (pixels in lanes, {@code SimdChw}): a depthwise convolution with
 * multiplier 1 and stride 1 (3x3 without dilation by its own kernel), and a 1x1 convolution, whose input is CHW (the model's input, or another
 * of these), run without a transposition. Rows of 21 pixels and planes of 378 are not whole vectors
 * (the last vector overlaps), 7 and 9 output channels leave a remainder after the groups of 4; dilation,
 * padding, no bias, relu, tanh and sigmoid; a strided 1x1 convolution, and layers after it (HWC), keep the HWC
 * kernels, and a one-channel HWC result counts as CHW (the same order).
 * Checked against the reference interpreter (double precision, random weights), with the layer's path
 * asserted from the generated source; the model's last layer writes the caller's output array directly.
 */
class VectorChwTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {16, 35})
    void chwKernelsMatchTheReference(int channels) throws IOException {
        String layers = "    depthwise_conv2d(kernel=3, padding=1, activation=relu, name=\"a3\")\n"
                + "    depthwise_conv2d(kernel=3, dilation=2, padding=2, activation=relu, name=\"a\")\n"
                + "    depthwise_conv2d(kernel=5, padding=same, activation=tanh, bias=false, name=\"b\")\n"
                + "    conv2d(7, kernel=1, activation=relu, name=\"c\")\n"
                + "    conv2d(9, kernel=1, bias=false, activation=sigmoid, name=\"d\")\n";
        String java = check(channels, layers, "ChwVector");
        String k = paths(java);
        assertTrue(java.contains("depthwiseChw3("), "the 3x3 depthwise kernel is emitted");
        for (String dw : new String[] {"a3", "a", "b"}) {
            assertTrue(k.contains(dw + "=vector depthwise conv, pixels in lanes, CHW\n"), dw + " takes the CHW depthwise kernel:\n" + k);
        }
        for (String pw : new String[] {"c", "d"}) {
            assertTrue(k.contains(pw + "=vector 1x1 conv as a GEMM over the pixels, CHW\n"), pw + " takes the CHW 1x1 kernel:\n" + k);
        }
        assertTrue(Pattern.compile("\\bd\\(\\w+, output\\);").matcher(java).find(),
                "the last layer writes the caller's output array");
    }

    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {16, 35})
    void stridedOrPaddedLayersKeepTheHwcKernels(int channels) throws IOException {
        String layers = "    conv2d(6, kernel=1, stride=2, name=\"e\")\n"
                + "    depthwise_conv2d(kernel=3, padding=1, name=\"f\")\n"
                + "    conv2d(5, kernel=1, name=\"g\")\n"
                + "    conv2d(1, kernel=3, padding=1, activation=tanh, name=\"h\")\n";
        String java = check(channels, layers, "HwcVector");
        String k = paths(java);
        assertTrue(Pattern.compile("\\bh\\(\\w+, output\\);").matcher(java).find(),
                "a one-channel HWC result is CHW already: the last layer writes the caller's output array");
        assertTrue(k.contains("e=vector conv (GEMM), CHW input transposed, HWC\n"), "a strided 1x1 conv takes the HWC (GEMM) kernel:\n" + k);
        assertTrue(k.contains("f=vector depthwise conv, padded HWC copy, HWC\n"), "an HWC input stays HWC:\n" + k);
        assertTrue(k.contains("g=vector conv (GEMM), HWC\n"), "an HWC input stays HWC:\n" + k);
    }

    /**
     * Value buffers are reused once dead: a chain of six layers (a residual add keeping one value alive
     * across two others) needs three, not one per value; and computes the same as the reference.
     */
    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {16})
    void valueBuffersAreReusedOnceDead(int channels) throws IOException {
        String layers = "    a = depthwise_conv2d(x, kernel=3, padding=1, activation=relu, name=\"a\")\n"
                + "    b = conv2d(a, " + channels + ", kernel=1, activation=relu, name=\"b\")\n"
                + "    c = conv2d(b, " + channels + ", kernel=1, name=\"c\")\n"
                + "    d = add(a, c) -> relu\n"
                + "    e = conv2d(d, 8, kernel=1, name=\"e\")\n"
                + "    output e\n";
        String java = check(channels, layers, "ReuseVector");
        Matcher field = Pattern.compile("private final float\\[\\] v(\\d+) = new float").matcher(java);
        int buffers = 0;
        while (field.find()) {
            buffers++;
        }
        assertEquals(3, buffers, "value buffers of the vector class (5 values before the output):\n" + java);
    }

    /**
     * Pools of fewer channels than a vector (a pool fused into a conv, and one alone) with no clipped window
     * run the loop nest with literal shapes in the layer method; against the reference. (9 filters: the conv
     * keeps the HWC kernel; with 8 or fewer, it would take the CHW kernel, below.)
     */
    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {3})
    void fewChannelPoolsMatchTheReference(int channels) throws IOException {
        String layers = "    conv2d(9, kernel=3, activation=tanh, name=\"p\")\n"
                + "    avgpool(2)\n"
                + "    maxpool(size=2, name=\"q\")\n";
        String java = check(channels, layers, "PoolVector");
        int loops = java.split("if \\(L > 9\\)", -1).length - 1;
        assertEquals(2, loops, "both pools have the few-channel loop nest:\n" + java);
    }

    /**
     * Layers with few filters on a CHW input ({@code SimdChwConv}: pixels in lanes, rows of 17 pixels, so the
     * last vector overlaps): 6 filters 5x5 with tanh and a fused average pool, 8 filters with dilation, relu,
     * no bias and a fused 3x3 max pool of stride 2 (each pool writes HWC for the next layer), 3 filters with
     * sigmoid and no pool (a CHW result, the model's output); padded ones (same padding, then an asymmetric
     * explicit one) chained in CHW, then a residual add in CHW; against the reference.
     */
    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {1, 3})
    void firstLayersWithFewFiltersRunPixelsInLanes(int channels) throws IOException {
        String pooled = "    conv2d(6, kernel=5, activation=tanh, name=\"p\")\n"
                + "    avgpool(2)\n"
                + "    conv2d(4, kernel=3, activation=relu, name=\"z\")\n";
        String k = paths(check(channels, pooled, "ChwConvAvg"));
        assertTrue(k.contains("p=vector conv, pixels in lanes, CHW + avgpool into HWC\n"), "p takes the CHW conv:\n" + k);
        assertTrue(k.contains("z=vector conv, HWC\n"), "z reads p's HWC result:\n" + k);
        String maxed = "    conv2d(8, kernel=3, dilation=2, activation=relu, bias=false, name=\"q\")\n"
                + "    maxpool(size=3, stride=2)\n";
        k = paths(check(channels, maxed, "ChwConvMax"));
        assertTrue(k.contains("q=vector conv, pixels in lanes, CHW + maxpool into HWC\n"), "q takes the CHW conv:\n" + k);
        String java = check(channels, "    conv2d(3, kernel=3, activation=sigmoid, name=\"r\")\n", "ChwConvOut");
        k = paths(java);
        assertTrue(k.contains("r=vector conv, pixels in lanes, CHW\n"), "r takes the CHW conv:\n" + k);
        assertTrue(Pattern.compile("\\br\\(\\w+, output\\);").matcher(java).find(),
                "the last layer writes the caller's output array");
        String padded = "    a = conv2d(x, 8, kernel=3, padding=same, activation=relu, name=\"s\")\n"
                + "    b = conv2d(a, 8, kernel=3, padding=same, name=\"t\")\n"
                + "    c = add(a, b) -> relu\n"
                + "    d = conv2d(c, 5, kernel=[3, 2], padding=[2, 0, 1, 1], dilation=2, name=\"u\")\n"
                + "    output d\n";
        k = paths(check(channels, padded, "ChwConvPad"));
        for (String l : new String[] {"s", "t", "u"}) {
            assertTrue(k.contains(l + "=vector conv, pixels in lanes, padded CHW copy, CHW\n"), l + " takes the CHW conv:\n" + k);
        }
    }

    /** Compiles {@code layers} on a {@code [channels, 18, 21]} input and checks it against the reference. */
    private String check(int channels, String layers, String name) throws IOException {
        return VectorCheck.compileAndCheck(dir, name, "model " + name + " {\n    input x: [" + channels + ", 18, 21]\n"
                + layers + "}\n", channels * 18 * 21, channels);
    }

    private static String paths(String java) {
        return VectorCheck.paths(java);
    }
}
