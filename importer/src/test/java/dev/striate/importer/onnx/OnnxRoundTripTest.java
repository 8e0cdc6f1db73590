package dev.striate.importer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.ChannelAffineOp;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.LinearLayer;
import dev.striate.ir.Maxout;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.ir.UntiedBias;
import dev.striate.weights.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * import(export(m)) is m: every compiler fixture whose ops map one to one onto ONNX operators is
 * exported, imported back ({@code striate import}) and compared with the original, layer by layer
 * (op and attributes, shape, inputs, weights bit for bit). Forms that are one model written two
 * ways compare equal: a fused activation and the separate layer an import gives, {@code same}
 * padding and its explicit amounts, dropout (no ONNX node), batch norm's momentum (training only;
 * ONNX Runtime ignores it). Models with decomposed ops (rescale, normalize, maxout, untied bias, a
 * sum of three) do not come back as layers: the import refuses the decomposition, naming its node.
 */
class OnnxRoundTripTest {
    @TempDir
    Path dir;

    static boolean oneToOne(Graph g) {
        return g.neededNodes().stream().noneMatch(n -> n.op() instanceof ChannelAffineOp || n.op() instanceof Maxout
                || n.op() instanceof UntiedBias || (n.op() instanceof Add && n.inputs().size() > 2)
                || (n.op() instanceof Flatten && g.node(n.inputs().get(0)).shape().rank() == 1));
    }

    static Stream<String> oneToOneCases() throws IOException {
        return OnnxExportFixturesTest.cases().filter(c -> oneToOne(OnnxExportFixturesTest.load(c)));
    }

    static Stream<String> decomposedCases() throws IOException {
        return OnnxExportFixturesTest.cases().filter(c -> !oneToOne(OnnxExportFixturesTest.load(c)));
    }

    /** Each one-to-one fixture at the oldest opset, the default and the newest the exporter writes. */
    static Stream<Arguments> oneToOneCasesAtOpsets() throws IOException {
        return oneToOneCases().flatMap(c -> IntStream.of(OnnxExport.MIN_OPSET, OnnxExport.DEFAULT_OPSET,
                OnnxExport.MAX_OPSET).mapToObj(o -> Arguments.of(c, o)));
    }

    @Test
    void almostEveryFixtureMapsOneToOne() throws IOException {
        long count = oneToOneCases().count();
        assertTrue(count >= 45, "only " + count + " fixtures round-trip");
        assertEquals(List.of("maxout", "normalize", "normalize_scalar", "rescale", "rescale_offset"),
                decomposedCases().sorted().toList());
    }

    @ParameterizedTest(name = "{0} at opset {1}")
    @MethodSource("oneToOneCasesAtOpsets")
    void importOfTheExportIsTheSameModel(String name, int opset) throws IOException {
        Graph original = OnnxExportFixturesTest.load(name);
        Graph back = importBack(original, opset);
        List<Layer> want = canonical(original);
        List<Layer> got = canonical(back);
        assertEquals(want.size(), got.size(), () -> "layers\n" + original + "\nback\n" + back);
        for (int i = 0; i < want.size(); i++) {
            Layer w = want.get(i);
            Layer g = got.get(i);
            int k = i;
            assertEquals(w.op(), g.op(), () -> "layer " + k + "\n" + original + "\nback\n" + back);
            assertEquals(w.shape(), g.shape(), "shape of layer " + i);
            assertEquals(w.inputs(), g.inputs(), "inputs of layer " + i);
            assertEquals(w.weights().keySet(), g.weights().keySet(), "weights of layer " + i);
            for (String p : w.weights().keySet()) {
                assertArrayEquals(w.weights().get(p).shape(), g.weights().get(p).shape(), p + " shape");
                assertArrayEquals(w.weights().get(p).data(), g.weights().get(p).data(), p + " of layer " + i);
            }
        }
        assertEquals(original.outputs().size(), back.outputs().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decomposedCases")
    void aDecomposedOpIsRefusedByTheImportNotChanged(String name) throws IOException {
        Path onnx = dir.resolve(name + ".onnx");
        Files.write(onnx, OnnxExport.toOnnx(OnnxExportFixturesTest.load(name), OnnxExport.DEFAULT_OPSET).toByteArray());
        CompileException e = assertThrows(CompileException.class, () -> OnnxImport.read(onnx, null));
        ErrorCode code = e.diagnostics().get(0).code();
        assertTrue(code == ErrorCode.IMPORT_UNSUPPORTED_OP || code == ErrorCode.IMPORT_UNSUPPORTED_FORM, e.getMessage());
        assertTrue(e.getMessage().contains("node '" + name.split("_")[0] + "_1"), e.getMessage());
    }

    private Graph importBack(Graph original, int opset) throws IOException {
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, OnnxExport.toOnnx(original, opset).toByteArray());
        OnnxImport.Written files = OnnxImport.write(onnx, dir.resolve("back"), null);
        Diagnostics diagnostics = new Diagnostics();
        Graph g = Compiler.loadModel(files.model(), null, diagnostics);
        return Compiler.bindWeights(g, files.weights(), diagnostics);
    }

    /** One layer in a name-free form: its op, shape, the indices of its inputs and its weights by parameter. */
    record Layer(Op op, Shape shape, List<Integer> inputs, Map<String, Tensor> weights) {
    }

    /**
     * The graph's layers in order, names replaced by indices; views (dropout, a linear
     * activation) stand for their input, fused activations become layers, padding is resolved
     * and batch norm's momentum dropped.
     */
    static List<Layer> canonical(Graph g) {
        List<Layer> layers = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (Node n : g.neededNodes()) {
            List<Integer> inputs = n.inputs().stream().map(index::get).toList();
            Op op = n.op();
            Shape in = n.inputs().isEmpty() ? null : g.node(n.inputs().get(0)).shape();
            if (op instanceof Dropout || (op instanceof Activate a && a.activation().isIdentity())) {
                index.put(n.name(), inputs.get(0));
                continue;
            }
            Map<String, Tensor> weights = new HashMap<>();
            for (ParamSpec p : op.params(g.inputShapes(n))) {
                Tensor t = g.weight(n, p.name());
                assertNotNull(t, n.name() + "." + p.name());
                weights.put(p.name(), t);
            }
            Activation after = null;
            if (op instanceof LinearLayer l && !l.activation().isIdentity()) {
                after = l.activation();
                op = l.withActivation(Activation.IDENTITY);
            }
            if (op instanceof Conv2d c) {
                op = c.withPadding(c.resolvedPadding(in));
            } else if (op instanceof Pool2d p) {
                op = p.withPadding(p.resolvedPadding(in));
                if (p.resolvedPadding(in).isZero()) {
                    Pool2d q = (Pool2d) op;
                    op = new Pool2d(q.poolKind(), q.kernelH(), q.kernelW(), q.strideH(), q.strideW(), q.padding(), true);
                }
            } else if (op instanceof BatchNorm b) {
                op = new BatchNorm(b.epsilon(), 0f);
            } else if (op instanceof Input) {
                inputs = List.of();
            }
            layers.add(new Layer(op, n.shape(), inputs, weights));
            index.put(n.name(), layers.size() - 1);
            if (after != null) {
                layers.add(new Layer(new Activate(after), n.shape(), List.of(layers.size() - 1), Map.of()));
                index.put(n.name(), layers.size() - 1);
            }
        }
        return layers;
    }
}
