package dev.striate.training;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Value;
import java.util.List;
import java.util.Locale;

/** Reads {@code schedule = step(2, gamma=0.5)}, {@code cosine}, {@code linear(...)} or {@code constant}. */
final class Schedules {
    private static final List<String> NAMES = List.of("constant", "step", "cosine", "linear", "snapshot");

    private Schedules() {
    }

    /** The schedule {@code v} describes, or {@code fallback} after reporting why it cannot be read. */
    static ScheduleSpec read(Value v, Diagnostics diagnostics, ScheduleSpec fallback) {
        String name = Values.callName(v, "schedule", diagnostics);
        if (name == null) {
            return fallback;
        }
        if (!NAMES.contains(name)) {
            diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "unknown schedule '" + name + "'"
                    + Suggestions.didYouMean(name, NAMES) + " (schedules: " + String.join(", ", NAMES) + ")");
            return fallback;
        }
        ScheduleSpec.Kind kind = ScheduleSpec.Kind.valueOf(name.toUpperCase(Locale.ROOT));
        Arguments a = Arguments.of(v, kind.params(), diagnostics);
        ScheduleSpec d = ScheduleSpec.CONSTANT;
        if (kind == ScheduleSpec.Kind.STEP) {
            a.require("step_size", "epochs between decays");
        }
        if (kind == ScheduleSpec.Kind.SNAPSHOT) {
            a.require("cycles", "the number of cycles, one snapshot each");
        }
        return new ScheduleSpec(kind,
                a.integer("step_size", d.stepSize(), 1),
                a.number("gamma", d.gamma(), Range.POSITIVE),
                a.integer("t_max", d.tMax(), 1),
                a.number("eta_min", d.etaMin(), Range.NON_NEGATIVE),
                a.number("start_factor", d.startFactor(), Range.FRACTION),
                a.number("end_factor", d.endFactor(), Range.FRACTION),
                a.integer("total_iters", d.totalIters(), 1),
                a.integer("cycles", d.cycles(), 1));
    }
}
