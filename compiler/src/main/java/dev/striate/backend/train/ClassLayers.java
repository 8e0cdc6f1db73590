package dev.striate.backend.train;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.WeightBlob;
import dev.striate.backend.layers.EmitterFactory;
import dev.striate.backend.layers.LayerCode;
import dev.striate.backend.layers.LayerContext;
import dev.striate.backend.layers.ScratchRows;
import dev.striate.backend.layers.TanhHelper;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.text.Lit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The inference class's layer code inside a trainer, so that the trainer's forward pass is the
 * code that ships: for a node, the class's emitter ({@link EmitterFactory}, the same one
 * {@code ClassEmitter} calls) writes its layer method, which goes into the trainer class as a static
 * method, and the node's forward method runs it on each sample of the batch through per-worker
 * copies of one sample's inputs and output (the class's methods read one image at offset 0). The
 * constants an emitter puts into the weights blob become the trainer's static {@code CLASS_WEIGHTS}.
 *
 * <p>Ops with learned parameters or with scratch rows are refused here: their class code would need
 * the live weights re-laid out at every step, which this does not do yet.
 */
final class ClassLayers {
    /** The static array holding the blob of the class's layer methods (constants only). */
    static final String WEIGHTS = "CLASS_WEIGHTS";
    /** The most constants embedded as one array literal (its initializer takes about 8 bytes each). */
    private static final int MAX_CONSTANTS = 4096;

    private final Slots slots;
    private final Map<String, NodeContext.Scratch> scratch;
    private final WeightBlob blob = new WeightBlob();
    private final ScratchRows rows = new ScratchRows();
    private final List<MethodSpec> methods = new ArrayList<>();

    ClassLayers(Slots slots, Map<String, NodeContext.Scratch> scratch) {
        this.slots = slots;
        this.scratch = scratch;
    }

    /**
     * The forward method of {@code ctx}'s node: the class's layer method (and its softmax step) on
     * each sample, named and documented by {@code ctx}.
     */
    MethodSpec forward(NodeContext ctx) {
        Node node = ctx.node();
        if (slots.graph.paramCount(node) > 0) {
            throw new IllegalStateException("the trainer does not run the class's code for " + node.op().kind()
                    + " (it has parameters): its rule must write its own forward pass");
        }
        List<Shape> inputs = ctx.inputShapes();
        String name = slots.method("class_" + slots.ident.get(node.name()));
        LayerCode code = EmitterFactory.forOp(node.op())
                .emit(new LayerContext(slots.graph, node, inputs, name, blob, rows));
        if (rows.takeUsed()) {
            throw new IllegalStateException("the trainer does not give the class's " + node.op().kind()
                    + " its scratch rows");
        }
        methods.add(code.method());
        List<String> args = new ArrayList<>();
        if (code.usesWeights()) {
            args.add(WEIGHTS);
        }
        CodeBlock.Builder b = CodeBlock.builder().beginControlFlow("for (int s = 0; s < n; s++)");
        for (int i = 0; i < inputs.size(); i++) {
            int size = inputs.get(i).size();
            String copy = buffer("in" + i, size);
            b.addStatement("System.arraycopy($L, s * $L, $L, 0, $L)", ctx.inAct(i), size, copy, size);
            args.add(copy);
        }
        int outSize = ctx.out().size();
        String out = buffer("out", outSize);
        args.add(out);
        b.addStatement("$N($L)", code.method(), String.join(", ", args));
        if (code.softmax() != null) {
            methods.add(code.softmax());
            b.addStatement("$N($L)", code.softmax(), out);
        }
        b.addStatement("System.arraycopy($L, 0, $L, s * $L, $L)", out, ctx.outAct(), outSize, outSize)
                .endControlFlow();
        return ctx.method("forward_")
                .addJavadoc("The inference class's code ($N), one sample at a time.\n", code.method())
                .addCode(b.build()).build();
    }

    /** The worker's copy buffer {@code role}, grown to hold {@code size} floats. */
    private String buffer(String role, int size) {
        String key = "class/" + role;
        NodeContext.Scratch s = scratch.get(key);
        String field = s != null ? s.field() : slots.field("sample_" + role);
        if (s == null || s.fixed() < size) {
            scratch.put(key, new NodeContext.Scratch(field, false, 0, s == null ? size : Math.max(size, s.fixed())));
        }
        return field;
    }

    /** Adds the layer methods, the blob's offsets and constants, and the helpers they call to the trainer class. */
    void addTo(TypeSpec.Builder type) {
        type.addMethods(methods);
        if (TanhHelper.neededBy(methods)) {
            type.addMethod(TanhHelper.method());
        }
        if (blob.size() == 0) {
            return;
        }
        blob.names().forEach((name, offset) -> type.addField(FieldSpec.builder(int.class, name, Modifier.PRIVATE,
                Modifier.STATIC, Modifier.FINAL).initializer("$L", offset).build()));
        float[] floats = blob.floats();
        if (floats.length > MAX_CONSTANTS) {
            throw new IllegalStateException("the class's layer methods put " + floats.length + " constants in the"
                    + " blob; the trainer embeds at most " + MAX_CONSTANTS);
        }
        CodeBlock.Builder values = CodeBlock.builder().add("{");
        for (int i = 0; i < floats.length; i++) {
            values.add(i == 0 ? "$L" : ", $L", Lit.f(floats[i]));
        }
        type.addField(FieldSpec.builder(float[].class, WEIGHTS, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The constants the class's layer methods read (normalization statistics).\n")
                .initializer(values.add("}").build()).build());
    }
}
