package dev.striate.training;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Value;
import java.util.List;

/** Reads {@code normalize = none | rescale(255) | standardize(mean, std, scale=1) | fit}. */
final class Normalizes {
    private static final List<String> NAMES = List.of("none", "rescale", "standardize", "fit");

    private Normalizes() {
    }

    /** The normalization {@code v} describes, or {@code fallback} after reporting why it cannot be read. */
    static NormalizeSpec read(Value v, Diagnostics diagnostics, NormalizeSpec fallback) {
        String name = Values.callName(v, "normalize", diagnostics);
        if (name == null) {
            return fallback;
        }
        switch (name) {
            case "none" -> {
                Arguments.of(v, List.of(), diagnostics);
                return NormalizeSpec.NONE;
            }
            case "fit" -> {
                Arguments.of(v, List.of(), diagnostics);
                return new NormalizeSpec(NormalizeSpec.Kind.FIT, 1, null, null);
            }
            case "rescale" -> {
                Arguments a = Arguments.of(v, List.of("divisor"), diagnostics);
                return new NormalizeSpec(NormalizeSpec.Kind.RESCALE, a.number("divisor", 255, Range.POSITIVE), null, null);
            }
            case "standardize" -> {
                Arguments a = Arguments.of(v, List.of("mean", "std", "scale"), diagnostics);
                a.require("mean", "one per channel, or one for all");
                a.require("std", "one per channel, or one for all");
                double[] mean = a.numbers("mean", Range.ANY);
                double[] std = a.numbers("std", Range.POSITIVE);
                double scale = a.number("scale", 1, Range.POSITIVE);
                if (mean == null || std == null) {
                    return fallback;
                }
                if (mean.length != std.length && mean.length != 1 && std.length != 1) {
                    diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "standardize: " + mean.length + " means but "
                            + std.length + " standard deviations");
                    return fallback;
                }
                return new NormalizeSpec(NormalizeSpec.Kind.STANDARDIZE, scale, mean, std);
            }
            default -> {
                diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "unknown normalization '" + name + "'"
                        + Suggestions.didYouMean(name, NAMES) + " (normalizations: " + String.join(", ", NAMES) + ")");
                return fallback;
            }
        }
    }
}
