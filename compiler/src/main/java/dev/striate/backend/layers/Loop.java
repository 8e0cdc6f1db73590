package dev.striate.backend.layers;

import com.palantir.javapoet.CodeBlock;

/**
 * A counted loop of generated code ({@code for (int ky = 0; ky < 3; ky++)}) that is not written
 * when it runs once: its variable is then the literal {@code 0} ({@link #var()}), which
 * {@link dev.striate.text.Lit}'s arithmetic drops, and its body goes into a plain block (one
 * block for a nest of such loops) so that its locals stay scoped.
 */
final class Loop {
    private final String var;
    private final boolean once;
    private final boolean block;

    private Loop(String var, boolean once, boolean block) {
        this.var = var;
        this.once = once;
        this.block = block;
    }

    /** Opens {@code for (int var = 0; var < count; var++)}, or nothing when {@code count == 1}. */
    static Loop open(CodeBlock.Builder b, String var, int count) {
        return open(b, var, count, null);
    }

    /** As {@link #open(CodeBlock.Builder, String, int)}, inside {@code parent}: a collapsed parent's block serves both. */
    static Loop open(CodeBlock.Builder b, String var, int count, Loop parent) {
        if (count != 1) {
            b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", var, var, count, var);
            return new Loop(var, false, false);
        }
        boolean block = parent == null || !parent.once;
        if (block) {
            b.add("{ // $L = 0\n", var).indent();
        }
        return new Loop(var, true, block);
    }

    /** The loop variable, or {@code 0} for a loop that runs once. */
    String var() {
        return once ? "0" : var;
    }

    void close(CodeBlock.Builder b) {
        if (!once) {
            b.endControlFlow();
        } else if (block) {
            b.unindent().add("}\n");
        }
    }
}
