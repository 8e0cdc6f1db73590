package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.ir.Graph;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import dev.striate.testing.ReferenceInterpreter;
import dev.striate.testing.TestModels;
import dev.striate.testing.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole representative models, generated and run, against the reference interpreter. */
class WholeModelTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("LeNet-5", TestModels.leNet5(11)),
                Arguments.of("TinyResNet", TestModels.tinyResNet(12)),
                Arguments.of("BigNet", TestModels.big(13)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void matchesReference(String name, GraphBuilder b) {
        Graph g = b.build();
        CompiledModel m = CompiledModel.compile(JavaBackend.generate(g, new GenerateOptions("t.whole", "Whole", false)));
        CompiledModel.Instance model = m.load();
        float[] x = b.randomInput(m.constant("INPUT_SIZE"));
        double[] expected = ReferenceInterpreter.run(g, x);
        Tolerance.assertClose(expected, model.predict(x), name);
        int best = 0;
        for (int k = 1; k < expected.length; k++) {
            best = expected[k] > expected[best] ? k : best;
        }
        assertEquals(best, model.classify(x), "classify skips the final softmax but agrees");
    }
}
