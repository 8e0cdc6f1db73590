package dev.striate.passes;

import dev.striate.ir.Graph;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One graph-to-graph rewrite of the optimization pipeline. Passes are pure: they never modify
 * their input (the IR is immutable) and return the very same {@link Graph} instance when they
 * change nothing, which is how {@link PassPipeline} detects a fixed point. When and how often a
 * pass runs is said in one place, {@link PassPipeline#standard()}.
 */
public interface Pass {

    /** The pass's name in logs and IR dumps: its class name, e.g. {@code FoldBatchNorm}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Rewrites {@code graph}; returns {@code graph} itself when nothing applies. */
    Graph run(Graph graph);

    /** What the compiled code is for: inference only, or training (the backward pass is generated too). */
    enum Mode {
        INFERENCE,
        TRAINING
    }

    /** The modes a pass is valid in. */
    enum RunsIn {
        INFERENCE(Mode.INFERENCE),
        TRAINING(Mode.TRAINING),
        BOTH(Mode.INFERENCE, Mode.TRAINING);

        private final Set<Mode> modes;

        RunsIn(Mode first, Mode... rest) {
            this.modes = Collections.unmodifiableSet(EnumSet.of(first, rest));
        }

        /** True when a pass with this setting runs for {@code mode}. */
        public boolean includes(Mode mode) {
            return modes.contains(mode);
        }
    }

    /** Whether a pass runs once or again and again until it changes nothing. */
    enum Repeat {
        ONCE,
        TO_FIXED_POINT
    }
}
