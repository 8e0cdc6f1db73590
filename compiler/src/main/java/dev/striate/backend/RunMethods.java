package dev.striate.backend;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The forward pass of the generated class: {@code run(input, output, probabilities)} calling
 * the layer methods in order. A model of a few hundred layers gets that single method. A deeper
 * one would outgrow HotSpot's 8,000-byte {@code HugeMethodLimit} (about 17 bytes of bytecode per
 * layer call) and, past a few thousand layers, javac's 64 KB per method; so its calls are split
 * by {@link MethodSplitter} into chunk methods {@code run0, run1, ...} that {@code run} calls in
 * order (grouped again as {@code runGroup2_0, ...} for extreme depths).
 */
final class RunMethods {
    /** Estimated bytecode budget of one method. */
    static final int CHUNK_BYTES = MethodSplitter.CHUNK_BYTES;

    /** One step of the forward pass: its statements, their estimated bytecode, whether they read {@code w}. */
    record Step(CodeBlock code, int bytes, boolean usesWeights) {
    }

    private static final CodeBlock WEIGHTS_LOCAL = CodeBlock.builder().addStatement("float[] w = weights").build();

    private RunMethods() {
    }

    /** Estimated bytecode of a static call with these arguments (each at most a field load, 4 bytes). */
    static int callBytes(List<String> args) {
        int bytes = 3;
        for (String a : args) {
            bytes += a.startsWith("buf") || a.equals("rows") ? 4 : 1;
        }
        return bytes;
    }

    /** The scalar {@code run} method and its chunks. */
    static List<MethodSpec> build(List<Step> steps) {
        return build(steps, CodeBlock.of(""));
    }

    /**
     * The {@code run} method, starting with {@code prefix} (empty for the scalar variant), then the
     * chunk methods it calls (none for a shallow model).
     */
    static List<MethodSpec> build(List<Step> steps, CodeBlock prefix) {
        List<MethodSplitter.Step> split = new ArrayList<>();
        steps.forEach(s -> split.add(new MethodSplitter.Step(s.code(), s.bytes(), s.usesWeights())));
        MethodSplitter.Split result = MethodSplitter.split(split, new MethodSplitter.Shape("run",
                RunMethods::method, "$L(input, output, probabilities)", 7, WEIGHTS_LOCAL), "the forward pass");
        List<MethodSpec> all = new ArrayList<>();
        all.add(method("run")
                .addJavadoc("The forward pass; {@code probabilities == false} skips a final softmax.\n")
                .addCode(prefix)
                .addCode(result.body(WEIGHTS_LOCAL))
                .build());
        all.addAll(result.chunks());
        return all;
    }

    private static MethodSpec.Builder method(String name) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "probabilities");
    }
}
