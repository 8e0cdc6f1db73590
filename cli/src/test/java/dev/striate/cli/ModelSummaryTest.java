package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary table, on graphs built directly in the IR (no parser involved). */
class ModelSummaryTest {
    /** What {@code striate summary} prints for the Keras MNIST CNN. */
    static final String SEED_CNN_TABLE = """
                Model: SeedCnn
                Layer (type)          Output Shape   Param #
                ============================================
                image (input)         [1, 28, 28]          0
                rescale_1 (rescale)   [1, 28, 28]          0
                conv2d_1 (conv2d)     [32, 26, 26]       320
                maxpool_1 (maxpool)   [32, 13, 13]         0
                conv2d_2 (conv2d)     [64, 11, 11]    18,496
                maxpool_2 (maxpool)   [64, 5, 5]           0
                conv2d_3 (conv2d)     [64, 3, 3]      36,928
                flatten_1 (flatten)   [576]                0
                dense_1 (dense)       [64]            36,928
                dense_2 (dense)       [10]               650
                ============================================
                Total params: 93,322
                Weights: 373,288 bytes as float32 (364.5 KiB)
                FLOPs per image: 5,647,322 (a multiply-add counts 2)
                Generated class: 373,288 bytes of weights, shared by the instances load() returns
                Memory per instance: 285,296 bytes (28,032 in 2 activation buffers + 257,224 of scratch rows + 40 for the result)
                """;

    /** The Keras MNIST CNN as the front end lowers it (language.md). */
    static Graph seedCnn() throws ShapeException {
        GraphBuilder g = new GraphBuilder();
        g.add("image", new Input(Shape.of(1, 28, 28)));
        g.add("rescale_1", new Rescale(1f / 255, 0f), "image");
        g.add("conv2d_1", conv(32, Activation.RELU, Padding.VALID), "rescale_1");
        g.add("maxpool_1", maxpool(2), "conv2d_1");
        g.add("conv2d_2", conv(64, Activation.RELU, Padding.VALID), "maxpool_1");
        g.add("maxpool_2", maxpool(2), "conv2d_2");
        g.add("conv2d_3", conv(64, Activation.RELU, Padding.VALID), "maxpool_2");
        g.add("flatten_1", new Flatten(), "conv2d_3");
        g.add("dense_1", new Dense(64, true, Activation.RELU), "flatten_1");
        g.add("dense_2", new Dense(10, true, Activation.SOFTMAX), "dense_1");
        return g.build("SeedCnn");
    }

    @Test
    void seedCnnTableIsExact() throws ShapeException {
        assertEquals(SEED_CNN_TABLE, ModelSummary.of(seedCnn()).render());
    }

    @Test
    void seedCnnCounts() throws ShapeException {
        ModelSummary s = ModelSummary.of(seedCnn());
        assertEquals(List.of(0L, 0L, 320L, 0L, 18_496L, 0L, 36_928L, 0L, 36_928L, 650L),
                s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(93_322L, s.totalParams());
        assertEquals(4 * 93_322L, s.weightBytes());
        assertFalse(s.showInputs(), "a plain stack needs no 'Connected to' column");
    }

    @Test
    void graphModelsShowWhatEachLayerReads() throws ShapeException {
        GraphBuilder g = new GraphBuilder();
        g.add("x", new Input(Shape.of(3, 8, 8)));
        g.add("conv2d_1", conv(4, Activation.IDENTITY, new Padding.Same()), "x");
        g.add("batchnorm_1", new BatchNorm(1e-5f, 0.1f), "conv2d_1");
        g.add("relu_1", new Activate(Activation.RELU), "batchnorm_1");
        g.add("conv2d_2", conv(4, Activation.IDENTITY, new Padding.Same()), "relu_1");
        g.add("add_1", new Add(), "relu_1", "conv2d_2");
        g.add("globalavgpool_1", new GlobalPool(Pool2d.Kind.AVG), "add_1");
        g.add("dense_1", new Dense(2, true, Activation.SOFTMAX), "globalavgpool_1");
        ModelSummary s = ModelSummary.of(g.build("Res"));
        assertTrue(s.showInputs());
        String table = s.render();
        assertTrue(table.contains("Connected to"), table);
        String addRow = table.lines().filter(l -> l.startsWith("add_1 ")).findFirst().orElseThrow();
        assertTrue(addRow.endsWith("relu_1, conv2d_2"), addRow);
        String inputRow = table.lines().filter(l -> l.startsWith("x ")).findFirst().orElseThrow();
        assertTrue(inputRow.endsWith(" 0"), "no trailing blanks for an input: '" + inputRow + "'");
        // 3*4*9+4 + 4*4 + 4*4*9+4 + 2*4+2
        assertEquals(112 + 16 + 148 + 10, s.totalParams());
        assertTrue(table.contains("Total params: 286\n"), table);
        assertTrue(table.contains("Weights: 1,144 bytes as float32 (1.1 KiB)\n"), table);
    }

    @Test
    void noParamsAtAll() throws ShapeException {
        GraphBuilder g = new GraphBuilder();
        g.add("x", new Input(Shape.of(4)));
        g.add("softmax_1", new Activate(Activation.SOFTMAX), "x");
        String table = ModelSummary.of(g.build("Soft")).render();
        assertTrue(table.endsWith("Total params: 0\nWeights: 0 bytes as float32 (0 B)\n"
                + "FLOPs per image: 4 (a multiply-add counts 2)\n"
                + "Generated class: 0 bytes of weights, shared by the instances load() returns\n"
                + "Memory per instance: 16 bytes (0 in 0 activation buffers + 0 of scratch rows + 16 for the result)\n"),
                table);
    }

    @Test
    void aModelTheBackendRefusesSaysWhyInsteadOfItsMemory() throws ShapeException {
        GraphBuilder g = new GraphBuilder();
        g.add("a", new Input(Shape.of(4)));
        g.add("b", new Input(Shape.of(4)));
        g.add("sum", new Add(), "a", "b");
        ModelSummary s = ModelSummary.of(g.build("Two"));
        assertEquals(null, s.footprint());
        assertTrue(s.render().endsWith("Generated class: none, model Two has 2 inputs; the Java backend supports"
                + " models with exactly one input\n"), s.render());
    }

    private static Conv2d conv(int filters, Activation a, Padding p) {
        return new Conv2d(filters, 3, 3, 1, 1, p, 1, 1, 1, true, a);
    }

    private static Pool2d maxpool(int k) {
        return new Pool2d(Pool2d.Kind.MAX, k, k, k, k, Padding.VALID, true);
    }

    /** Builds a graph node by node, inferring each shape from its inputs. */
    static final class GraphBuilder {
        private final List<Node> nodes = new ArrayList<>();

        void add(String name, Op op, String... inputs) throws ShapeException {
            List<Shape> in = new ArrayList<>();
            for (String i : inputs) {
                in.add(nodes.stream().filter(n -> n.name().equals(i)).findFirst().orElseThrow().shape());
            }
            nodes.add(new Node(name, op, List.of(inputs), op.inferShape(in), new SourcePos("t.cnn", nodes.size() + 1, 1)));
        }

        Graph build(String name) {
            return new Graph(name, nodes, List.of(nodes.get(nodes.size() - 1).name()), List.of(), Map.of());
        }
    }

    /** Sizes near Java's int limits (see the compiler's SizeLimitsTest): the totals are longs. */
    @Test
    void theSummaryOfAHugeButValidModelDoesNotOverflow() {
        Graph g = Frontend.parse("model M {\n    input x: [64, 4096, 4096]\n"
                + "    conv2d(64, kernel=3) -> conv2d(64, kernel=3, dilation=2)\n}\n", "m.cnn").model(null);
        ModelSummary s = ModelSummary.of(g);
        long out1 = 64L * 4094 * 4094;
        long out2 = 64L * 4090 * 4090;
        long expected = 2 * out1 * 64 * 9 + out1 + 2 * out2 * 64 * 9 + out2;
        assertEquals(expected, s.totalFlops());
        assertEquals(2 * (64L * 64 * 9 + 64) * 4, s.weightBytes());
        for (Node n : g.nodes()) {
            assertTrue(n.shape().isKnown());
        }
    }
}
