package dev.striate.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector variant's depthwise kernel (multiplier 1) on channel counts the PyTorch fixtures do not
 * reach (they have fewer channels than a vector, so only the masked last vector runs there): 32
 * channels (whole vectors only) and 35 (whole vectors and a masked last one), with stride, dilation,
 * padding, a fused relu, another activation and a pool after it, against the reference interpreter
 * (double precision, random weights). A multiplier-2 depthwise layer must keep the scalar fallback.
 */
class VectorDepthwiseTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {32, 35})
    void depthwiseKernelMatchesTheReference(int channels) throws IOException {
        String model = "model DwVector {\n"
                + "    input x: [" + channels + ", 13, 11]\n"
                + "    depthwise_conv2d(kernel=3, stride=2, dilation=2, padding=2, activation=relu, name=\"a\")\n"
                + "    depthwise_conv2d(kernel=5, padding=same, activation=tanh, bias=false, name=\"b\")\n"
                + "    maxpool(size=2)\n"
                + "    depthwise_conv2d(kernel=3, multiplier=2, padding=1, name=\"c\")\n"
                + "}\n";
        String java = VectorCheck.compileAndCheck(dir, "DwVector", model, channels * 13 * 11, channels);
        Matcher layer = Pattern.compile("Layer \\{@code (\\w+)\\}: [^\\n]*; (vector depthwise conv|scalar)").matcher(java);
        StringBuilder kinds = new StringBuilder();
        while (layer.find()) {
            kinds.append(layer.group(1)).append('=').append(layer.group(2)).append(' ');
        }
        assertTrue(kinds.toString().contains("a=vector depthwise conv") && kinds.toString().contains("b=vector depthwise conv"),
                "multiplier-1 depthwise layers take the vector kernel: " + kinds);
        assertTrue(!kinds.toString().contains("c=vector"), "multiplier 2 keeps the scalar fallback: " + kinds);
    }
}
