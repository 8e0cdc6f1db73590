package dev.striate.training;

import dev.striate.data.Augmentation;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Value;
import java.util.List;

/**
 * Reads {@code augment = [shift(2), flip, rotate(10)]} (one item, a list, or {@code none}) into
 * an {@link Augmentation}: {@code shift(pixels=2)}, {@code flip} (horizontal, half of the time)
 * and {@code rotate(degrees=10)}.
 */
final class Augments {
    private static final List<String> NAMES = List.of("shift", "flip", "rotate", "none");

    private Augments() {
    }

    /** The augmentation {@code v} describes, or {@code fallback} after reporting why it cannot be read. */
    static Augmentation read(Value v, Diagnostics diagnostics, Augmentation fallback) {
        List<Value> items = v instanceof Value.ListValue l ? l.items() : List.of(v);
        int shift = 0;
        boolean flip = false;
        double rotate = 0;
        boolean ok = true;
        for (Value item : items) {
            String name = Values.callName(item, "augment", diagnostics);
            if (name == null) {
                ok = false;
                continue;
            }
            switch (name) {
                case "shift" -> shift = Arguments.of(item, List.of("pixels"), diagnostics).integer("pixels", 2, 0);
                case "rotate" -> rotate = Arguments.of(item, List.of("degrees"), diagnostics).number("degrees", 10,
                        Range.closed(0, 180));
                case "flip" -> {
                    Arguments.of(item, List.of(), diagnostics);
                    flip = true;
                }
                case "none" -> Arguments.of(item, List.of(), diagnostics);
                default -> {
                    diagnostics.error(ErrorCode.BAD_VALUE, item.pos(), "unknown augmentation '" + name + "'"
                            + Suggestions.didYouMean(name, NAMES) + " (augmentations: shift(pixels), flip, "
                            + "rotate(degrees), none)");
                    ok = false;
                }
            }
        }
        return ok ? new Augmentation(shift, flip, rotate) : fallback;
    }
}
