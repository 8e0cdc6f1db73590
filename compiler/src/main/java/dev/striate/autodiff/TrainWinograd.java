package dev.striate.autodiff;

import com.palantir.javapoet.CodeBlock;
import dev.striate.ir.ConvGeometry;
import dev.striate.train.Winograd;

/**
 * Which convolutions a generated trainer runs as the runtime's Winograd F(2x2,3x3) ({@link Winograd}), decided
 * when the trainer is generated: the forward pass (the class's batched form through the trainer's product)
 * and the input gradient ({@link Conv2dGrad}) of the same layers, so both or neither change.
 */
public final class TrainWinograd {
    private TrainWinograd() {
    }

    /** True when the trainer runs {@code g} as Winograd ({@link Winograd#chosen}). */
    public static boolean chosen(ConvGeometry g) {
        return !g.transposed() && Winograd.chosen(g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.groups(), g.inC(),
                g.inH(), g.inW(), g.outC(), g.outH(), g.outW(), g.padTop(), g.padLeft());
    }

    /** {@code y = conv(x, w) + bias} for the {@code n} samples ({@code bias} null: none), on the Gemm {@code gemm}. */
    public static void forward(CodeBlock.Builder b, ConvGeometry g, String gemm, String w, String bias, String x,
                               String y) {
        b.addStatement("$T.forward($L, $L, $L, $L, $L, n, $L, $L, $L, $L, $L, $L, $L, $L)", Winograd.class, gemm, w,
                bias == null ? "null" : bias, x, y, g.inC(), g.inH(), g.inW(), g.outC(), g.outH(), g.outW(), g.padTop(),
                g.padLeft());
    }

    /** {@code gx += d input} from {@code dz} for the {@code n} samples, on the Gemm {@code gemm}. */
    static void inputGradient(CodeBlock.Builder b, ConvGeometry g, String gemm, String w, String dz, String gx) {
        b.add("// d input += conv(d z, the filters turned by 180 degrees) as Winograd F(2x2,3x3)\n")
                .addStatement("$T.inputGradient($L, $L, $L, $L, n, $L, $L, $L, $L, $L, $L, $L, $L)", Winograd.class, gemm, w,
                        dz, gx, g.inC(), g.inH(), g.inW(), g.outC(), g.outH(), g.outW(), g.padTop(), g.padLeft());
    }

    /** {@code dw += d weights} summed over the {@code n} samples of {@code x} and {@code dz}, on the Gemm {@code gemm}. */
    static void weightGradient(CodeBlock.Builder b, ConvGeometry g, String gemm, String x, String dz, String dw) {
        b.add("// d weights += G^T (sum over tiles of (A dY A^T) (B^T d B)^T) G as Winograd F(2x2,3x3)\n")
                .addStatement("$T.weightGradient($L, $L, $L, $L, n, $L, $L, $L, $L, $L, $L, $L, $L)", Winograd.class, gemm, x,
                        dz, dw, g.inC(), g.inH(), g.inW(), g.outC(), g.outH(), g.outW(), g.padTop(), g.padLeft());
    }
}
