package dev.striate.backend;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps generated methods small for any model depth: a sequence of statements that would take
 * more than {@link #CHUNK_BYTES} of bytecode (estimated) is moved into chunk methods of at most
 * that size, {@code name0, name1, ...}, which the caller invokes in order; when even those calls
 * would outgrow the budget they are grouped again ({@code nameGroup2_0, ...}), level by level.
 * A short sequence stays inline, unchanged. Deterministic: the split depends only on the steps.
 */
public final class MethodSplitter {
    /** Estimated bytecode budget of one method: half HotSpot's 8,000-byte limit, for estimation slack. */
    public static final int CHUNK_BYTES = 4000;

    /** One statement (or a few) with its estimated bytecode and whether it needs a shared local. */
    public record Step(CodeBlock code, int bytes, boolean needsLocal) {
    }

    /**
     * How to make the chunk methods.
     *
     * @param prefix    chunk names: {@code prefix0, prefix1, ...} and {@code prefixGroup2_0, ...}
     * @param method    a new method builder of the given name, with its modifiers and parameters
     * @param call      the statement calling a chunk, with {@code $L} for its name, e.g. {@code "$L(n)"}
     * @param callBytes estimated bytecode of that call
     * @param local     the statement declaring the shared local, or null when no step needs one
     */
    public record Shape(String prefix, Function<String, MethodSpec.Builder> method, String call, int callBytes,
                        CodeBlock local) {
    }

    /** The steps the caller keeps (inline when small, else calls) and the chunk methods to add. */
    public record Split(List<Step> inline, List<MethodSpec> chunks) {
        /** The caller's statements, with the shared local first when one of them needs it. */
        public CodeBlock body(CodeBlock local) {
            CodeBlock.Builder b = CodeBlock.builder();
            if (local != null && inline.stream().anyMatch(Step::needsLocal)) {
                b.add(local);
            }
            inline.forEach(s -> b.add(s.code()));
            return b.build();
        }
    }

    private MethodSplitter() {
    }

    /** Splits {@code steps} as described by {@code shape}, with {@code docOfChunk} describing leaf chunks. */
    public static Split split(List<Step> steps, Shape shape, String what) {
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
                String name = depth == 1 ? shape.prefix() + index : shape.prefix() + "Group" + depth + "_" + index;
                List<Step> part = level.subList(first, end);
                MethodSpec.Builder m = shape.method().apply(name)
                        .addJavadoc(depth == 1 ? "Steps $L to $L of $L, called in order.\n"
                                : "Calls $L to $L of the chunks of $L in order.\n", first, end - 1, what);
                m.addCode(new Split(part, List.of()).body(shape.local()));
                chunks.add(m.build());
                calls.add(new Step(CodeBlock.builder().addStatement(shape.call(), name).build(), shape.callBytes(),
                        false));
                first = end;
                index++;
            }
            level = calls;
            depth++;
        }
        return new Split(level, chunks);
    }

    private static long total(List<Step> steps) {
        long sum = 0;
        for (Step s : steps) {
            sum += s.bytes();
        }
        return sum;
    }
}
