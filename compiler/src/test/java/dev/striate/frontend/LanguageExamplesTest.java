package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.striate.frontend.ast.Setting;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.frontend.ast.Value;
import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Rescale;
import dev.striate.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lowers the examples of {@code docs/language.md} and checks node kinds, names and shapes. */
class LanguageExamplesTest {
    static final String DOC_EXAMPLE = """
            // The Keras MNIST CNN: 93,322 parameters.
            model SeedCnn {
                input image: [1, 28, 28]                    // channels, height, width (no batch)
                rescale(1/255)
                conv2d(32, kernel=3, activation=relu)
                maxpool(2)
                conv2d(64, kernel=3, activation=relu)
                maxpool(2)
                conv2d(64, kernel=3, activation=relu)
                flatten
                dense(64, activation=relu)
                dense(10, activation=softmax)
                labels ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
            }

            // A graph: named values, explicit inputs, `->` chains.
            model TinyResNet {
                input x: [3, 32, 32]
                stem = conv2d(x, 16, kernel=3, padding=same) -> batchnorm -> relu
                h    = conv2d(stem, 16, kernel=3, padding=same) -> batchnorm -> relu
                h    = conv2d(h, 16, kernel=3, padding=same, name="last_conv") -> batchnorm
                y    = add(stem, h) -> relu -> globalavgpool -> dense(10) -> softmax
                output y
            }

            train SeedCnn {
                loss = crossentropy
                optimizer = rmsprop(lr=0.001)
                batch = 64
                epochs = 5
            }
            """;

    @Test
    void seedCnnHasTheKerasShapes() {
        Graph g = Lowered.graph(DOC_EXAMPLE, "SeedCnn");
        assertEquals(List.of(
                "image:input:[1, 28, 28]",
                "rescale_1:rescale:[1, 28, 28]",
                "conv2d_1:conv2d:[32, 26, 26]",
                "maxpool_1:maxpool:[32, 13, 13]",
                "conv2d_2:conv2d:[64, 11, 11]",
                "maxpool_2:maxpool:[64, 5, 5]",
                "conv2d_3:conv2d:[64, 3, 3]",
                "flatten_1:flatten:[576]",
                "dense_1:dense:[64]",
                "dense_2:dense:[10]"), Lowered.summary(g));
        assertEquals(List.of("dense_2"), g.outputs());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), g.labels());
        assertEquals(List.of("conv2d_1"), g.node("maxpool_1").inputs());
        assertEquals(new Rescale(1f / 255, 0f), g.node("rescale_1").op());
        Conv2d conv = (Conv2d) g.node("conv2d_1").op();
        assertEquals(Activation.RELU, conv.activation());
        assertEquals(Activation.SOFTMAX, ((Dense) g.node("dense_2").op()).activation());
        assertEquals("SeedCnn", g.name());
    }

    @Test
    void seedCnnHas93322Parameters() {
        Graph g = Lowered.graph(DOC_EXAMPLE, "SeedCnn");
        int total = 0;
        for (Node n : g.nodes()) {
            for (ParamSpec p : n.op().params(g.inputShapes(n))) {
                total += p.shape().size();
            }
        }
        assertEquals(93_322, total);
    }

    @Test
    void tinyResNetIsAGraphWithNamedValues() {
        Graph g = Lowered.graph(DOC_EXAMPLE, "TinyResNet");
        assertEquals(List.of(
                "x:input:[3, 32, 32]",
                "conv2d_1:conv2d:[16, 32, 32]",
                "batchnorm_1:batchnorm:[16, 32, 32]",
                "relu_1:relu:[16, 32, 32]",
                "conv2d_2:conv2d:[16, 32, 32]",
                "batchnorm_2:batchnorm:[16, 32, 32]",
                "relu_2:relu:[16, 32, 32]",
                "last_conv:conv2d:[16, 32, 32]",
                "batchnorm_3:batchnorm:[16, 32, 32]",
                "add_1:add:[16, 32, 32]",
                "relu_3:relu:[16, 32, 32]",
                "globalavgpool_1:globalavgpool:[16]",
                "dense_1:dense:[10]",
                "softmax_1:softmax:[10]"), Lowered.summary(g));
        assertEquals(List.of("x"), g.node("conv2d_1").inputs());
        assertEquals(List.of("relu_1"), g.node("conv2d_2").inputs());
        assertEquals(List.of("relu_2"), g.node("last_conv").inputs());
        assertEquals(List.of("relu_1", "batchnorm_3"), g.node("add_1").inputs());
        assertEquals(List.of("softmax_1"), g.outputs());
        assertEquals(List.of(), g.labels());
    }

    @Test
    void fileListsItsModelsAndKeepsTheTrainBlock() {
        ParsedFile f = Frontend.parse(DOC_EXAMPLE, "doc.cnn");
        assertEquals(List.of("SeedCnn", "TinyResNet"), f.modelNames());
        TrainDecl train = f.train("SeedCnn").orElseThrow();
        assertEquals(List.of("loss", "optimizer", "batch", "epochs"),
                train.settings().stream().map(s -> s.key().name()).toList());
        Setting optimizer = train.setting("optimizer").orElseThrow();
        Value.CallValue call = assertInstanceOf(Value.CallValue.class, optimizer.value());
        assertEquals("rmsprop", call.function().name());
        assertEquals("lr", call.arguments().get(0).keyword().name());
        assertEquals(0.001, ((Value.NumberValue) call.arguments().get(0).value()).value(), 1e-12);
        assertEquals(26, train.pos().line());
        assertEquals(true, f.train("TinyResNet").isEmpty());
    }

    @Test
    void nodesCarryTheirSourcePositions() {
        Graph g = Lowered.graph(DOC_EXAMPLE, "TinyResNet");
        assertEquals("doc:19:12", pos(g.node("conv2d_1")));
        assertEquals("doc:19:53", pos(g.node("batchnorm_1")));
        assertEquals("doc:18:11", pos(g.node("x")));
    }

    private static String pos(Node n) {
        return "doc:" + n.pos().line() + ":" + n.pos().column();
    }
}
