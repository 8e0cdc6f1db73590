package dev.striate.backend.train;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.ir.Node;
import dev.striate.train.Gemm;
import dev.striate.train.TrainableModel;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the inner {@code BatchWorker} class: per-worker arrays sized for {@code maxBatch}
 * samples (activations, gradients, saved state, parameter gradients), {@code forward} and
 * {@code backward} calling the layer methods in order, and the layer methods themselves.
 */
final class WorkerEmitter {
    private static final TypeName FLOATS = ArrayTypeName.of(float.class);

    private final Slots slots;
    private final Node input;
    private final Node output;
    private final Map<String, NodeContext.Scratch> scratch;
    private final boolean inputGradient;

    WorkerEmitter(Slots slots, Node input, Node output, Map<String, NodeContext.Scratch> scratch, boolean inputGradient) {
        this.slots = slots;
        this.input = input;
        this.output = output;
        this.scratch = scratch;
        this.inputGradient = inputGradient;
    }

    TypeSpec emit(List<MethodSpec> forward, List<MethodSpec> backward, List<MethodSpec> inference,
                  List<MethodSpec> inferenceOnly) {
        TypeSpec.Builder w = TypeSpec.classBuilder("BatchWorker")
                .addModifiers(Modifier.FINAL)
                .addSuperinterface(ClassName.get(TrainableModel.Worker.class))
                .addJavadoc("Activations, saved state and gradients for up to {@code maxBatch} samples; one thread at a time.\n")
                .addField(int.class, "maxBatch", Modifier.PRIVATE, Modifier.FINAL)
                .addField(long.class, "seed", Modifier.PRIVATE)
                .addField(boolean.class, "primary", Modifier.PRIVATE, Modifier.FINAL)
                .addField(int.class, "lastBatch", Modifier.PRIVATE)
                .addField(FieldSpec.builder(ArrayTypeName.of(FLOATS), "gradients", Modifier.PRIVATE, Modifier.FINAL).build())
                .addField(FieldSpec.builder(Gemm.class, "gemm", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Matrix products (convolutions, dense layers), with this worker's packing buffers.\n")
                        .initializer("new $T()", Gemm.class).build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(int.class, "maxBatch")
                .beginControlFlow("if (maxBatch < 1)")
                .addStatement("throw new $T(\"maxBatch must be positive: \" + maxBatch)", IllegalArgumentException.class)
                .endControlFlow()
                .addStatement("this.maxBatch = maxBatch")
                .addStatement("this.primary = claimPrimary()");
        Set<String> arrays = new LinkedHashSet<>();
        for (Node n : slots.nodes) {
            for (String f : new String[] {slots.act.get(n.name()), slots.grad.get(n.name())}) {
                if (f != null && !slots.isAlias(n) && arrays.add(f)) {
                    w.addField(FLOATS, f, Modifier.PRIVATE, Modifier.FINAL);
                    ctor.addStatement("this.$L = new float[maxBatch * $L]", f, n.shape().size());
                }
            }
        }
        for (NodeContext.Scratch s : scratch.values()) {
            w.addField(s.ints() ? int[].class : float[].class, s.field(), Modifier.PRIVATE, Modifier.FINAL);
            ctor.addStatement("this.$L = new $L[$L]", s.field(), s.ints() ? "int" : "float",
                    s.perSample() > 0 ? "maxBatch * " + s.perSample() : Integer.toString(s.fixed()));
        }
        List<Slots.Param> learned = slots.learned();
        StringBuilder all = new StringBuilder();
        for (Slots.Param p : learned) {
            w.addField(FLOATS, "d_" + p.field(), Modifier.PRIVATE, Modifier.FINAL);
            ctor.addStatement("this.d_$L = new float[$L]", p.field(), Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b));
            all.append(all.length() > 0 ? ", " : "").append("d_").append(p.field());
        }
        ctor.addStatement("this.gradients = new float[][] {$L}", all);
        w.addMethod(ctor.build()).addMethod(forwardMethod(forward)).addMethod(backwardMethod(backward))
                .addMethod(inferMethod(inference))
                .addMethod(MethodSpec.methodBuilder("gradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(ArrayTypeName.of(FLOATS)).addStatement("return gradients").build())
                .addMethod(MethodSpec.methodBuilder("inputGradient").addModifiers(Modifier.PUBLIC).returns(FLOATS)
                        .addJavadoc("d loss / d input of the last backward pass, or null unless generated with input gradients.\n")
                        .addStatement("return $L", inputGradient ? slots.grad.get(input.name()) : "null").build());
        w.addMethods(forward).addMethods(backward).addMethods(inferenceOnly);
        return w.build();
    }

    private MethodSpec forwardMethod(List<MethodSpec> forward) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(float[].class, "inputs").addParameter(int.class, "n")
                .addParameter(float[].class, "outputs").addParameter(long.class, "seed");
        checkBatch(m);
        m.addStatement("this.seed = seed")
                .addStatement("this.lastBatch = n")
                .addStatement("System.arraycopy(inputs, 0, $L, 0, n * INPUT_SIZE)", slots.act.get(input.name()));
        for (MethodSpec f : forward) {
            m.addStatement("$N(n)", f);
        }
        return m.addStatement("System.arraycopy($L, 0, outputs, 0, n * OUTPUT_SIZE)", slots.act.get(output.name())).build();
    }

    private MethodSpec inferMethod(List<MethodSpec> inference) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("infer").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Inference mode (running statistics, no dropout); overwrites the state saved by {@link #forward}.\n")
                .addParameter(float[].class, "inputs").addParameter(int.class, "n").addParameter(float[].class, "outputs");
        checkBatch(m);
        m.addStatement("this.lastBatch = 0")
                .addStatement("System.arraycopy(inputs, 0, $L, 0, n * INPUT_SIZE)", slots.act.get(input.name()));
        for (MethodSpec f : inference) {
            m.addStatement("$N(n)", f);
        }
        return m.addStatement("System.arraycopy($L, 0, outputs, 0, n * OUTPUT_SIZE)", slots.act.get(output.name())).build();
    }

    private MethodSpec backwardMethod(List<MethodSpec> backward) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(float[].class, "dOutputs").addParameter(int.class, "n");
        checkBatch(m);
        m.beginControlFlow("if (n != lastBatch)")
                .addStatement("throw new $T(\"backward over \" + n + \" samples after a forward over \" + lastBatch)",
                        IllegalStateException.class)
                .endControlFlow();
        for (Slots.Param p : slots.learned()) {
            m.addStatement("$T.fill(d_$L, 0f)", Arrays.class, p.field());
        }
        Set<String> zeroed = new LinkedHashSet<>();
        for (Node n : slots.nodes) {
            String g = slots.grad.get(n.name());
            if (g != null && !slots.isAlias(n) && zeroed.add(g)) {
                m.addStatement("$T.fill($L, 0, n * $L, 0f)", Arrays.class, g, n.shape().size());
            }
        }
        String outGrad = slots.grad.get(output.name());
        if (outGrad != null) {
            m.addStatement("System.arraycopy(dOutputs, 0, $L, 0, n * OUTPUT_SIZE)", outGrad);
        }
        for (MethodSpec b : backward) {
            m.addStatement("$N(n)", b);
        }
        return m.build();
    }

    private static void checkBatch(MethodSpec.Builder m) {
        m.beginControlFlow("if (n < 1 || n > maxBatch)")
                .addStatement("throw new $T(\"batch of \" + n + \" samples; this worker holds 1 to \" + maxBatch)",
                        IllegalArgumentException.class)
                .endControlFlow();
    }
}
