package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.TestModels;
import dev.striate.testing.Tolerance;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API of a generated class (the Keras MNIST CNN): constants, predict in its three
 * forms, classify, labels, argument checks and independent instances; a map output has no classify.
 */
class GeneratedApiTest {
    static GraphBuilder builder;
    static Graph graph;
    static CompiledModel model;

    @BeforeAll
    static void compile() {
        builder = TestModels.mnistCnn(7);
        graph = builder.build();
        model = CompiledModel.compile(JavaBackend.generate(graph, new GenerateOptions("com.acme", "SeedCnn", false)));
    }

    @Test
    void compilesWithoutWarningsUnderRelease11() {
        assertEquals(java.util.List.of(), model.warnings());
    }

    @Test
    void constantsDescribeTheShapes() {
        assertEquals(1, model.constant("INPUT_CHANNELS"));
        assertEquals(28, model.constant("INPUT_HEIGHT"));
        assertEquals(28, model.constant("INPUT_WIDTH"));
        assertEquals(784, model.constant("INPUT_SIZE"));
        assertEquals(10, model.constant("OUTPUT_SIZE"));
        assertEquals(10, model.constant("CLASS_COUNT"));
    }

    @Test
    void predictMatchesTheReference() {
        CompiledModel.Instance m = model.load();
        for (int i = 0; i < 3; i++) {
            float[] x = builder.randomInput(784);
            float[] y = m.predict(x);
            Tolerance.assertClose(ReferenceInterpreter.run(graph, x), y, "SeedCnn");
            float sum = 0;
            for (float v : y) {
                sum += v;
            }
            assertEquals(1f, sum, 1e-5f, "softmax output sums to one");
        }
    }

    @Test
    void allocationFreePredictWritesIntoTheGivenArray() {
        CompiledModel.Instance m = model.load();
        float[] x = builder.randomInput(784);
        float[] out = new float[10];
        m.predict(x, out);
        assertArrayEquals(m.predict(x), out);
        m.predict(builder.randomInput(784), out);
        m.predict(x, out);
        assertArrayEquals(m.predict(x), out, "reusing the output array gives the same result");
    }

    @Test
    void predictBatchEqualsOnePredictPerInput() {
        CompiledModel.Instance m = model.load();
        float[][] xs = {builder.randomInput(784), builder.randomInput(784), builder.randomInput(784)};
        float[][] ys = m.predictBatch(xs);
        assertEquals(3, ys.length);
        for (int i = 0; i < xs.length; i++) {
            assertArrayEquals(m.predict(xs[i]), ys[i]);
        }
        assertEquals(0, m.predictBatch(new float[0][]).length);
    }

    @Test
    void classifyIsTheArgmaxOfTheReference() {
        CompiledModel.Instance m = model.load();
        for (int i = 0; i < 5; i++) {
            float[] x = builder.randomInput(784);
            double[] ref = ReferenceInterpreter.run(graph, x);
            int best = 0;
            for (int k = 1; k < ref.length; k++) {
                best = ref[k] > ref[best] ? k : best;
            }
            assertEquals(best, m.classify(x));
        }
    }

    @Test
    void labels() {
        assertArrayEquals(new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, model.labels());
        assertNotSame(model.labels(), model.labels());
        assertEquals("7", model.label(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.label(10));
        assertEquals("class index 10 is outside 0..9", e.getMessage());
    }

    @Test
    void noLabelMethodsWithoutLabels() throws Exception {
        CompiledModel m = CompiledModel.compile(JavaBackend.generate(TestModels.leNet5(1).build(),
                new GenerateOptions("", "LeNet", false)));
        assertThrows(NoSuchMethodException.class, () -> m.type().getMethod("labels"));
        assertEquals(1024, m.constant("INPUT_SIZE"));
    }

    @Test
    void wrongArgumentsAreRejectedWithClearMessages() {
        CompiledModel.Instance m = model.load();
        float[] x = builder.randomInput(784);
        assertEquals("input must have 784 floats, got 3",
                assertThrows(IllegalArgumentException.class, () -> m.predict(new float[3])).getMessage());
        assertEquals("input must not be null",
                assertThrows(IllegalArgumentException.class, () -> m.predict((float[]) null)).getMessage());
        assertEquals("output must have 10 floats, got 9",
                assertThrows(IllegalArgumentException.class, () -> m.predict(x, new float[9])).getMessage());
        assertEquals("inputs[1] must have 784 floats, got 0",
                assertThrows(IllegalArgumentException.class, () -> m.predictBatch(new float[][] {x, new float[0]}))
                        .getMessage());
        assertEquals("input must have 784 floats, got 785",
                assertThrows(IllegalArgumentException.class, () -> m.classify(new float[785])).getMessage());
    }

    @Test
    void instancesShareWeightsButNotScratchBuffers() {
        CompiledModel.Instance a = model.load();
        CompiledModel.Instance b = model.load();
        float[] x1 = builder.randomInput(784);
        float[] x2 = builder.randomInput(784);
        float[] y1 = a.predict(x1);
        float[] y2 = b.predict(x2);
        float[] out = new float[10];
        a.predict(x1, out);
        b.predict(x2, new float[10]);
        assertArrayEquals(y1, out);
        assertArrayEquals(y2, b.predict(x2));
    }

    @Test
    void inputIsNotModified() {
        float[] x = builder.randomInput(784);
        float[] copy = x.clone();
        model.load().predict(x);
        assertArrayEquals(copy, x);
    }

    @Test
    void aMapOutputHasNoClasses() {
        GraphBuilder b = new GraphBuilder("Edges", 3);
        String x = b.input(Shape.chw(1, 6, 6));
        b.output(b.add("conv", new Conv2d(2, 3, 3, 1, 1, Padding.VALID, 1, 1, 1, true, Activation.IDENTITY), x));
        CompiledModel edges = CompiledModel.compile(JavaBackend.generate(b.build(),
                new GenerateOptions("com.acme", "Edges", false)));
        Set<String> methods = Arrays.stream(edges.type().getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> fields = Arrays.stream(edges.type().getDeclaredFields()).map(Field::getName)
                .collect(Collectors.toSet());
        assertTrue(methods.contains("predict"), methods.toString());
        assertFalse(methods.contains("classify"), methods.toString());
        assertFalse(fields.contains("CLASS_COUNT"), fields.toString());
        assertFalse(fields.contains("result"), "no classify, no result buffer: " + fields);
        assertEquals(32, edges.constant("OUTPUT_SIZE"));
        assertTrue(Arrays.stream(model.type().getDeclaredMethods()).anyMatch(m -> m.getName().equals("classify")),
                "a vector output keeps classify");
    }
}
