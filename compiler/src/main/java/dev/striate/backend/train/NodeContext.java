package dev.striate.backend.train;

import com.palantir.javapoet.MethodSpec;
import dev.striate.autodiff.ReluPoolFusion;
import dev.striate.autodiff.RuleContext;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.text.JavaText;
import dev.striate.train.ReluBackward;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The {@link RuleContext} of one node: resolves array names through the {@link Slots}, records
 * scratch arrays the rule asks for, and collects the methods it emits.
 */
final class NodeContext implements RuleContext {
    /** A per-worker scratch array: field name, element type, per-sample and fixed lengths. */
    record Scratch(String field, boolean ints, int perSample, int fixed) {
    }

    private final Slots slots;
    private final Node node;
    private final int index;
    private final Map<String, Scratch> scratch;
    private final List<MethodSpec> forward;
    private final List<MethodSpec> backward;
    private final List<MethodSpec> inference;
    private final ClassLayers classLayers;
    private final ReluBackward relu;

    NodeContext(Slots slots, Node node, int index, Map<String, Scratch> scratch, ClassLayers classLayers,
                List<MethodSpec> forward, List<MethodSpec> backward, List<MethodSpec> inference, ReluBackward relu) {
        this.relu = relu;
        this.slots = slots;
        this.classLayers = classLayers;
        this.node = node;
        this.index = index;
        this.scratch = scratch;
        this.forward = forward;
        this.backward = backward;
        this.inference = inference;
    }

    private String id() {
        return slots.ident.get(node.name());
    }

    public Node node() {
        return node;
    }

    public List<Shape> inputShapes() {
        return slots.graph.inputShapes(node);
    }

    public String inAct(int i) {
        return slots.act.get(node.inputs().get(i));
    }

    public String outAct() {
        return slots.act.get(node.name());
    }

    public String inGrad(int i) {
        return slots.grad.get(node.inputs().get(i));
    }

    public String outGrad() {
        return slots.grad.get(node.name());
    }

    public String param(String name) {
        Slots.Param p = slots.paramByKey.get(node.paramKey(name));
        if (p == null) {
            throw new IllegalArgumentException(node.name() + " has no parameter " + name);
        }
        return p.field();
    }

    public String paramGrad(String name) {
        return "d_" + param(name);
    }

    public String seed() {
        return "seed";
    }

    public String scratchFloats(String purpose, int perSample, int fixed) {
        return scratch.computeIfAbsent(id() + "/" + purpose,
                key -> new Scratch(slots.field(id() + "_" + purpose), false, perSample, fixed)).field();
    }

    public String scratchInts(String purpose, int perSample) {
        return scratch.computeIfAbsent(id() + "/" + purpose,
                key -> new Scratch(slots.field(id() + "_" + purpose), true, perSample, 0)).field();
    }

    public String updatesSharedState() {
        return "primary";
    }

    public MethodSpec.Builder method(String prefix) {
        return MethodSpec.methodBuilder(slots.method(prefix + id()))
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Layer {@code $L}: $L($L), $L.\n", JavaText.comment(node.name()), node.op().kind(),
                        node.op().describe(), Shape.transition(inputShapes(), node.shape()))
                .addParameter(int.class, "n");
    }

    public void addForward(MethodSpec m) {
        forward.add(m);
    }

    public MethodSpec classForward(String preActivation, String argmax) {
        return classLayers.forward(this, preActivation, argmax);
    }

    public void addBackward(MethodSpec m) {
        backward.add(m);
    }

    public void addInference(MethodSpec m) {
        inference.add(m);
    }

    @Override
    public ReluBackward reluBackward() {
        return relu;
    }

    @Override
    public boolean poolMasksInputRelu() {
        return ReluPoolFusion.poolMasks(slots.graph, node, relu);
    }

    @Override
    public boolean reluMaskedByPool() {
        return ReluPoolFusion.maskedByPool(slots.graph, node, relu);
    }

    @Override
    public int nodeIndex() {
        return index;
    }
}
