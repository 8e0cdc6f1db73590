package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.passes.FusePool;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused conv + pool ({@link ConvPool}) generated, compiled and run: it matches the
 * double-precision {@link ReferenceInterpreter}, and the unfused code (conv method, then pool
 * method) bit for bit, since it sums and pools in the same order.
 */
class ConvPoolEquivalenceTest {

    static Arguments c(String name, Shape in, Conv2d conv, Pool2d pool) {
        return Arguments.of(name, in, conv, pool);
    }

    static Conv2d conv(int f, int k, int s, int pad, int groups, Activation a) {
        return new Conv2d(f, k, k, s, s, Padding.Explicit.of(pad), 1, 1, groups, true, a);
    }

    static Pool2d pool(Pool2d.Kind kind, int kh, int kw, int sh, int sw) {
        return new Pool2d(kind, kh, kw, sh, sw, Padding.VALID, true);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("relu conv 3x3 + maxpool 2x2", Shape.chw(3, 10, 10), conv(4, 3, 1, 0, 1, Activation.RELU),
                        pool(Pool2d.Kind.MAX, 2, 2, 2, 2)),
                c("tanh conv 5x5 pad 2 + avgpool 2x2", Shape.chw(1, 12, 12), conv(6, 5, 1, 2, 1, Activation.TANH),
                        pool(Pool2d.Kind.AVG, 2, 2, 2, 2)),
                c("conv + maxpool 3x3 stride 2 odd sizes", Shape.chw(2, 13, 11), conv(3, 3, 1, 1, 1, Activation.IDENTITY),
                        pool(Pool2d.Kind.MAX, 3, 3, 2, 2)),
                c("conv + overlapping avgpool 2x3 stride 1", Shape.chw(2, 9, 8), conv(3, 3, 1, 0, 1, Activation.RELU),
                        pool(Pool2d.Kind.AVG, 2, 3, 1, 1)),
                c("strided grouped conv + maxpool", Shape.chw(4, 15, 15), conv(4, 3, 2, 1, 2, Activation.RELU),
                        pool(Pool2d.Kind.MAX, 2, 2, 2, 2)),
                c("conv 7x7 (looped product) + large avgpool 6x6", Shape.chw(2, 16, 16),
                        conv(3, 7, 1, 3, 1, new Activation.LeakyRelu(0.1f)), pool(Pool2d.Kind.AVG, 6, 6, 4, 4)),
                c("conv + large maxpool 5x6", Shape.chw(1, 14, 14), conv(2, 3, 1, 1, 1, Activation.SIGMOID),
                        pool(Pool2d.Kind.MAX, 5, 6, 3, 3)),
                c("blocked conv (4 channels a pass, 2 left over) + maxpool 2x2", Shape.chw(64, 10, 10),
                        conv(6, 3, 1, 0, 1, Activation.RELU), pool(Pool2d.Kind.MAX, 2, 2, 2, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fusedMatchesReferenceAndUnfused(String name, Shape in, Conv2d conv, Pool2d pool) {
        GraphBuilder b = new GraphBuilder("Case", name.hashCode());
        String c = b.add("conv", conv, b.input(in));
        Graph plain = b.build(b.add("pool", pool, c));
        Graph fused = new FusePool().run(plain);
        assertTrue(fused.node("conv").op() instanceof ConvPool, () -> "not fused:\n" + fused);
        assertEquals(2, fused.nodes().size());

        CompiledModel.Instance unfusedModel = CompiledModel.compile(
                JavaBackend.generate(plain, new GenerateOptions("t.ops", "Plain", false))).load();
        CompiledModel.Instance fusedModel = CompiledModel.compile(
                JavaBackend.generate(fused, new GenerateOptions("t.ops", "Fused", false))).load();
        for (int trial = 0; trial < 3; trial++) {
            float[] x = b.randomInput(in.size());
            float[] got = fusedModel.predict(x);
            Tolerance.assertClose(ReferenceInterpreter.run(plain, x), got, name + " trial " + trial);
            Tolerance.assertClose(ReferenceInterpreter.run(fused, x), got, name + " (fused reference) trial " + trial);
            assertArrayEquals(unfusedModel.predict(x), got, name + ": fused differs from unfused code");
        }
    }
}
