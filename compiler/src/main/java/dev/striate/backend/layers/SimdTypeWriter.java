package dev.striate.backend.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.striate.backend.MethodSplitter;
import dev.striate.backend.layers.SimdRunBatch.BatchDense;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the nested vector class from what {@link SimdClass} collected while emitting the nodes: its
 * constants, buffers and constructor, the run method (split into chunks), the layer methods and kernels, and
 * the nested class of packed weights.
 */
final class SimdTypeWriter {
    private SimdTypeWriter() {
    }

    /** The nested class of {@code c}, built once every node has been emitted ({@code hasRows}: see {@link SimdClass#build}). */
    static TypeSpec type(SimdClass c, boolean hasRows) {
        for (BatchDense d : c.tail) {
            c.packedField(TypeName.get(int[][].class), "rows_" + d.method(), CodeBlock.of("batchRows($L)", d.inputs()));
        }
        String name = SimdClass.name(c.outer);
        TypeSpec.Builder t = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The forward pass on the Vector API ({@code jdk.incubator.vector}); loaded only when that\n"
                        + "module is present. Activations are stored HWC where a vector kernel produced them; ops\n"
                        + "without a vector kernel run the enclosing class's scalar layer method on a CHW copy.\n")
                .addField(FieldSpec.builder(SimdKernels.SPECIES, "S", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.SPECIES_PREFERRED", SimdKernels.FLOAT_VECTOR).build())
                .addField(FieldSpec.builder(int.class, "L", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("S.length()").build())
                .addField(FieldSpec.builder(SimdKernels.MASK, "ALL", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL).initializer("S.maskAll(true)").build())
                .addField(FieldSpec.builder(float[].class, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        if (hasRows) {
            t.addField(FieldSpec.builder(float[][].class, ScratchRows.NAME, Modifier.PRIVATE, Modifier.FINAL).build());
        }
        c.fields.forEach(t::addField);
        for (int v = 0; v < c.valueBuffers.size(); v++) {
            t.addField(FieldSpec.builder(float[].class, SimdClass.VALUE_BUFFER + v, Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new float[$L]", c.valueBuffers.get(v)).build());
        }
        t.addMethod(MethodSpec.methodBuilder("worthwhile")
                .addModifiers(Modifier.STATIC)
                .returns(boolean.class)
                .addJavadoc("True when predictions run here: the preferred vector holds at least 4 floats and, on x86, at least\n"
                        + "8 (256 bits: the JVM uses AVX2 or later, and those CPUs have FMA3). With 128-bit vectors an x86\n"
                        + "JVM runs on SSE or AVX alone, or was given {@code -XX:UseAVX=0} or {@code 1}: no fused multiply-add\n"
                        + "instruction, so every {@code fma} would run the Vector API's Java loop over the lanes, far slower\n"
                        + "than the scalar code. The system property {@code striate.kernel}, else the environment variable\n"
                        + "{@code STRIATE_KERNEL}, overrides: {@code scalar} always runs the scalar code, {@code vector} this\n"
                        + "code whenever a vector holds 4 floats; anything else is {@code auto}, the rule above.\n")
                .addStatement("$T asked = kernelAsked()", String.class)
                .beginControlFlow("if (L < 4 || asked.equals($S))", "scalar")
                .addStatement("return false")
                .endControlFlow()
                .beginControlFlow("if (asked.equals($S))", "vector")
                .addStatement("return true")
                .endControlFlow()
                .addStatement("$T arch = property($S)", String.class, "os.arch")
                .addStatement("boolean x86 = arch.equals($S) || arch.equals($S) || arch.equals($S) || arch.matches($S)",
                        "amd64", "x86_64", "x86", "i[3-6]86")
                .addStatement("return !x86 || L >= 8")
                .build());
        t.addMethod(MethodSpec.methodBuilder("kernelAsked")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(String.class)
                .addJavadoc("{@code striate.kernel}, else {@code STRIATE_KERNEL}, in lower case; empty when neither is set.\n")
                .addStatement("$T asked = property($S)", String.class, "striate.kernel")
                .beginControlFlow("if (asked.isEmpty())")
                .beginControlFlow("try")
                .addStatement("$T env = System.getenv($S)", String.class, "STRIATE_KERNEL")
                .addStatement("asked = env == null ? \"\" : env")
                .nextControlFlow("catch ($T e)", SecurityException.class)
                .addStatement("asked = \"\"")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return asked.trim().toLowerCase($T.ROOT)", java.util.Locale.class)
                .build());
        t.addMethod(MethodSpec.methodBuilder("property")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(String.class)
                .addParameter(String.class, "name")
                .addJavadoc("A system property, empty when unset or unreadable.\n")
                .beginControlFlow("try")
                .addStatement("return System.getProperty(name, \"\")")
                .nextControlFlow("catch ($T e)", SecurityException.class)
                .addStatement("return \"\"")
                .endControlFlow()
                .build());
        TypeSpec packed = packedType(c, name);
        t.addField(FieldSpec.builder(ClassName.get("", packed.name()), "packed", Modifier.PRIVATE, Modifier.FINAL).build());
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder()
                .addParameter(float[].class, "weights")
                .addStatement("this.weights = weights")
                .addStatement("this.packed = $L.of(weights)", packed.name());
        if (hasRows) {
            ctor.addParameter(float[][].class, ScratchRows.NAME).addStatement("this.$L = $L", ScratchRows.NAME,
                    ScratchRows.NAME);
        }
        t.addMethod(ctor.build());
        List<MethodSplitter.Step> steps = c.run;
        String perImage = c.batchConvs.isEmpty() ? "runBatch" : "runBatchDense";
        if (!c.tail.isEmpty() || !c.batchConvs.isEmpty()) {
            t.addField(FieldSpec.builder(int.class, "BATCH", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$L", SimdRunBatch.BATCH).build());
        }
        if (!c.batchConvs.isEmpty()) {
            SimdRunBatch.addConvBatch(c, t);
        }
        if (!c.tail.isEmpty()) {
            int floats = 0;
            for (BatchDense d : c.tail) {
                floats = Math.max(floats, Math.max(d.inputs(), d.units()));
            }
            SimdRunBatch.addBatch(c, t, floats, perImage);
            if (c.tailStart > 0) {
                // the steps before the dense layers, shared by run and runBatch
                MethodSplitter.Split prefixSplit = MethodSplitter.split(c.run.subList(0, c.tailStart),
                        new MethodSplitter.Shape("prefix", n -> MethodSpec.methodBuilder(n).addModifiers(Modifier.PRIVATE)
                                .addParameter(float[].class, "input"), "$L(input)", 4, null), "the layers before the dense ones");
                t.addMethod(MethodSpec.methodBuilder("prefix").addModifiers(Modifier.PRIVATE)
                        .addJavadoc("The layers before the last dense ones, on one image.\n")
                        .addParameter(float[].class, "input").addCode(prefixSplit.body(null)).build());
                prefixSplit.chunks().forEach(t::addMethod);
                steps = new ArrayList<>();
                steps.add(SimdClass.step(CodeBlock.builder().addStatement("prefix(input)").build(), 4));
                steps.addAll(c.run.subList(c.tailStart, c.run.size()));
            }
        }
        MethodSplitter.Split runSplit = MethodSplitter.split(steps, new MethodSplitter.Shape("run",
                SimdTypeWriter::runMethod, "$L(input, output, probabilities)", 7, null), "the forward pass");
        t.addMethod(runMethod("run").addJavadoc("The forward pass; {@code probabilities == false} skips a final softmax.\n")
                .addCode(runSplit.body(null)).build());
        runSplit.chunks().forEach(t::addMethod);
        c.methods.forEach(t::addMethod);
        c.kernels.methods().forEach(t::addMethod);
        return t.addType(packed).build();
    }

    /**
     * The weights packed for the running vector length, shared by every instance built on the same
     * weights array (the instances of {@code load()} all are): packed once, not once per instance.
     */
    private static TypeSpec packedType(SimdClass c, String simdName) {
        String name = c.outer.simpleName().equals("Packed") || simdName.equals("Packed") ? "PackedWeights" : "Packed";
        ClassName self = ClassName.get("", name);
        MethodSplitter.Split packSplit = MethodSplitter.split(c.pack, new MethodSplitter.Shape("pack",
                n -> MethodSpec.methodBuilder(n).addModifiers(Modifier.PRIVATE), "$L()", 4, null),
                "the weight packing");
        TypeSpec.Builder t = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The weights of the vectorized layers in the order their kernels read them, packed once per\n"
                        + "weights array (all instances of {@code load()} share it) for this JVM's vector length.\n")
                .addField(FieldSpec.builder(self, "last", Modifier.PRIVATE, Modifier.STATIC).build())
                .addField(FieldSpec.builder(float[].class, "weights", Modifier.PRIVATE, Modifier.FINAL).build());
        c.packedFields.forEach(t::addField);
        t.addMethod(MethodSpec.methodBuilder("of")
                .addModifiers(Modifier.STATIC, Modifier.SYNCHRONIZED)
                .returns(self)
                .addJavadoc("The packing of {@code weights}: the last one made when it was for this array, else a new one.\n")
                .addParameter(float[].class, "weights")
                .beginControlFlow("if (last == null || last.weights != weights)")
                .addStatement("last = new $T(weights)", self)
                .endControlFlow()
                .addStatement("return last")
                .build());
        t.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "weights")
                .addStatement("this.weights = weights")
                .addCode(packSplit.body(null))
                .build());
        packSplit.chunks().forEach(t::addMethod);
        return t.build();
    }

    private static MethodSpec.Builder runMethod(String name) {
        return MethodSpec.methodBuilder(name)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "probabilities");
    }
}
