package dev.striate.backend.layers;

import com.palantir.javapoet.MethodSpec;
import dev.striate.backend.WeightBlob;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import dev.striate.weights.Tensor;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Everything an emitter needs for one node: the node, its input and output shapes, the name of
 * the method to write, the graph's bound weights and the blob that receives them, the class's
 * shared scratch rows, and whether the method is the training form of a max pool
 * ({@code recordsArgmax}, asked by the trainer only: see {@link #methodWithArgmax}).
 */
public record LayerContext(Graph graph, Node node, List<Shape> inputShapes, String methodName, WeightBlob blob,
                           ScratchRows rows, boolean recordsArgmax) {
    /**
     * A parameter of a max pool's training form, after {@code out}: an {@code int[]} that receives,
     * per output, the index in {@code in} of the window's first maximum in window order (padded
     * cells never win; the last NaN when there is one, as PyTorch), which the pool's backward pass
     * routes the gradient to. The shipped class never has it.
     */
    public static final String ARGMAX = "arg";
    /** A parameter of the training form: where the sample starts in {@code in}. */
    public static final String IN_OFFSET = "xo";
    /** A parameter of the training form: where the sample starts in {@code out} and {@code arg}. */
    public static final String OUT_OFFSET = "yo";

    /** The context of the class's own code (no training form). */
    public LayerContext(Graph graph, Node node, List<Shape> inputShapes, String methodName, WeightBlob blob,
                        ScratchRows rows) {
        this(graph, node, inputShapes, methodName, blob, rows, false);
    }

    public Shape in() {
        return inputShapes.get(0);
    }

    public Shape out() {
        return node.shape();
    }

    /** The bound tensor {@code node.param}; the backend checked beforehand that it exists. */
    public float[] weight(String param) {
        Tensor t = graph.weight(node, param);
        if (t == null) {
            throw new IllegalStateException("no weights bound for " + node.paramKey(param));
        }
        return t.data();
    }

    /**
     * Appends {@code values} (this layer's {@code param}, laid out as the code reads them) to the
     * blob at an offset the class names ({@code CONV2D_1_WEIGHT}); returns that constant's name.
     */
    public String addWeights(String param, float[] values) {
        return blob.addNamed(node.name(), param, values);
    }

    /** {@code [1, 28, 28] -> [32, 26, 26]}. */
    public String shapes() {
        return Shape.transition(inputShapes, out());
    }

    /**
     * A {@code private static void} method with the standard parameters: {@code w} (when the layer
     * reads weights), {@code in} (or {@code in0, in1, ...} for several inputs) and {@code out},
     * documented with the source layer and its shapes.
     */
    public MethodSpec.Builder method(boolean usesWeights) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(methodName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Layer {@code $L}: $L($L), $L.\n", JavaText.comment(node.name()), node.op().kind(),
                        node.op().describe(), shapes());
        if (usesWeights) {
            m.addParameter(float[].class, "w");
        }
        if (inputShapes.size() == 1) {
            m.addParameter(float[].class, "in");
        } else {
            for (int i = 0; i < inputShapes.size(); i++) {
                m.addParameter(float[].class, "in" + i);
            }
        }
        return m.addParameter(float[].class, "out");
    }

    /**
     * {@link #method} plus, when {@link #recordsArgmax}, the training form's parameters
     * {@code int[] arg, int xo, int yo} ({@link #ARGMAX}, {@link #IN_OFFSET}, {@link #OUT_OFFSET}):
     * for the emitters of max pools, whose training form then reads the sample at {@code in[xo]},
     * writes its outputs and their argmax (indices in {@code in}) from {@code out[yo]} and
     * {@code arg[yo]}, so that the trainer runs it on its batch arrays in place.
     */
    public MethodSpec.Builder methodWithArgmax(boolean usesWeights) {
        MethodSpec.Builder m = method(usesWeights);
        if (recordsArgmax) {
            m.addParameter(int[].class, ARGMAX).addParameter(int.class, IN_OFFSET).addParameter(int.class, OUT_OFFSET);
        }
        return m;
    }

    /**
     * {@link #method} plus a last parameter {@code float[][] rows}: the class's scratch rows, of
     * which the emitter has {@linkplain ScratchRows#request requested} what it uses.
     */
    public MethodSpec.Builder methodWithRows(boolean usesWeights) {
        rows.markUsed();
        return method(usesWeights).addParameter(float[][].class, ScratchRows.NAME);
    }
}
