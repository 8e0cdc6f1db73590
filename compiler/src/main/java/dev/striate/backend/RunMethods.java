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
 * into chunk methods {@code run0, run1, ...} of at most {@link #CHUNK_BYTES} estimated bytes,
 * which {@code run} calls in order. When even those calls would outgrow the budget, they are
 * grouped again ({@code runGroup2_0, ...}), level by level, so every method stays bounded for any
 * depth. Deterministic: the split depends only on the steps.
 */
final class RunMethods {
    /** Estimated bytecode budget of one method: half the 8,000-byte limit, for estimation slack. */
    static final int CHUNK_BYTES = 4000;
    /** Estimated bytecode of a call to a chunk: {@code aload_0} + three arguments + invoke. */
    private static final int CHUNK_CALL_BYTES = 7;

    /** One step of the forward pass: its statements, their estimated bytecode, whether they read {@code w}. */
    record Step(CodeBlock code, int bytes, boolean usesWeights) {
    }

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

    /** The {@code run} method, then the chunk methods it calls (none for a shallow model). */
    static List<MethodSpec> build(List<Step> steps) {
        List<MethodSpec> chunks = new ArrayList<>();
        List<Step> level = steps;
        int depth = 1;
        while (total(level) > CHUNK_BYTES) {
            List<Step> calls = new ArrayList<>();
            int first = 0;
            int index = 0;
            while (first < level.size()) {
                int end = first + 1;
                int bytes = level.get(first).bytes();
                while (end < level.size() && bytes + level.get(end).bytes() <= CHUNK_BYTES) {
                    bytes += level.get(end).bytes();
                    end++;
                }
                String name = depth == 1 ? "run" + index : "runGroup" + depth + "_" + index;
                List<Step> part = level.subList(first, end);
                chunks.add(method(name, part, depth == 1
                        ? "Steps " + first + " to " + (end - 1) + " of the forward pass, called in order by {@code run}.\n"
                        : "Calls " + part.size() + " chunks of the forward pass in order.\n"));
                calls.add(new Step(CodeBlock.builder().addStatement("$L(input, output, probabilities)", name).build(),
                        CHUNK_CALL_BYTES, false));
                first = end;
                index++;
            }
            level = calls;
            depth++;
        }
        List<MethodSpec> all = new ArrayList<>();
        all.add(method("run", level, "The forward pass; {@code probabilities == false} skips a final softmax.\n"));
        all.addAll(chunks);
        return all;
    }

    private static int total(List<Step> steps) {
        long sum = 0;
        for (Step s : steps) {
            sum += s.bytes();
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    private static MethodSpec method(String name, List<Step> steps, String doc) {
        CodeBlock.Builder body = CodeBlock.builder();
        if (steps.stream().anyMatch(Step::usesWeights)) {
            body.addStatement("float[] w = weights");
        }
        steps.forEach(s -> body.add(s.code()));
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(doc)
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "probabilities")
                .addCode(body.build())
                .build();
    }
}
