package dev.striate;

import java.util.List;
import java.util.Objects;

/**
 * An ensemble to compile ({@link Compiler#compileEnsemble}): one class named {@code className} averaging
 * the outputs of its members, each compiled as a class of its own ({@code <className>Member1}, ...).
 * The first member's request gives the package, the output folders, the variant and whether an image
 * companion is written; each member's request gives its model and weights.
 *
 * @param className the ensemble class's simple name
 * @param members   one compile request per member, in order (their class names and image companions are
 *                  replaced)
 * @param weights   each member's weight in the average, in order (normalized to sum to 1), or empty for
 *                  equal weights
 */
public record EnsembleRequest(String className, List<CompileRequest> members, List<Double> weights) {
    public EnsembleRequest {
        Objects.requireNonNull(className, "className");
        members = List.copyOf(members);
        weights = List.copyOf(weights);
    }

    /** The first member's request: where the files go and how they are generated. */
    public CompileRequest first() {
        return members.get(0);
    }

    /** The simple name of member {@code i}'s class (0-based): {@code <className>Member<i + 1>}. */
    public String memberClassName(int i) {
        return className + "Member" + (i + 1);
    }
}
