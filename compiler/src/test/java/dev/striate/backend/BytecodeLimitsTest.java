package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.BytecodeSizes;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.TestModels;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads the compiled classes with ASM and checks that every method of every generated class,
 * static initializers included, stays under HotSpot's 8,000-byte {@code HugeMethodLimit}, and
 * that no class's constant pool comes near the 65,535-entry limit.
 */
class BytecodeLimitsTest {

    static GraphBuilder wideKernels() {
        GraphBuilder b = new GraphBuilder("WideKernels", 3);
        String x = b.input(Shape.chw(8, 20, 20));
        x = b.add("c5", new Conv2d(16, 5, 5, 1, 1, new Padding.Same(), 1, 1, 1, true, Activation.SOFTMAX), x);
        x = b.add("c5s2", new Conv2d(16, 5, 5, 2, 2, new Padding.Same(), 2, 2, 4, true, Activation.RELU), x);
        x = b.add("t7", new ConvTranspose2d(8, 7, 7, 2, 2, 3, 3, 1, 1, 1, 1, 1, true, Activation.RELU), x);
        x = b.add("c11", new Conv2d(4, 11, 11, 1, 1, Padding.Explicit.of(5), 1, 1, 1, true, Activation.TANH), x);
        x = b.add("pool5", new Pool2d(Pool2d.Kind.MAX, 5, 5, 1, 1, Padding.VALID, true), x);
        x = b.add("pool5pad", new Pool2d(Pool2d.Kind.AVG, 5, 5, 1, 1, Padding.Explicit.of(2), false), x);
        return b.output(x);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("Keras MNIST CNN", TestModels.mnistCnn(1), false),
                Arguments.of("Keras MNIST CNN single file", TestModels.mnistCnn(1), true),
                Arguments.of("LeNet-5", TestModels.leNet5(2), false),
                Arguments.of("TinyResNet", TestModels.tinyResNet(3), false),
                Arguments.of("BigNet (2.4M weights, 1000 classes)", TestModels.big(4), false),
                Arguments.of("wide kernels", wideKernels(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyMethodStaysJitCompilable(String name, GraphBuilder model, boolean singleFile) {
        CompiledModel m = CompiledModel.compile(JavaBackend.generate(model.build(),
                new GenerateOptions("t.size", "Sized", singleFile)));
        Map<String, Integer> sizes = BytecodeSizes.methodSizes(m.classFiles());
        assertTrue(sizes.size() > 10, "expected the layer methods, got " + sizes.keySet());
        String largest = null;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            assertTrue(e.getValue() < BytecodeSizes.HUGE_METHOD_LIMIT,
                    name + ": " + e.getKey() + " has " + e.getValue() + " bytes of bytecode");
            if (largest == null || e.getValue() > sizes.get(largest)) {
                largest = e.getKey();
            }
        }
        System.out.println(name + ": largest method " + largest + " = " + sizes.get(largest) + " bytes");
        if (name.startsWith("BigNet")) {
            assertEquals("class_999", m.label(999), "1000 labels from the split string");
        }
        BytecodeSizes.constantPoolCounts(m.classFiles()).forEach((cls, count) ->
                assertTrue(count < 10_000, cls + " has " + count + " constant-pool entries"));
    }
}
