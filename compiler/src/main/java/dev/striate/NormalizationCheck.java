package dev.striate;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.ParsedFile;
import dev.striate.frontend.ast.Setting;
import dev.striate.frontend.ast.Value;
import dev.striate.ir.Graph;
import java.nio.file.Path;

/**
 * Refuses (E511) to compile a model whose train block normalizes the data outside the model
 * ({@code normalize = rescale(...)}, {@code standardize(...)} or {@code fit}) when its weights
 * do not record that normalization: the compiled class could not apply it, and callers would feed
 * it pixels the model never saw in training. Weights that record it give the class its pixel
 * methods ({@code predictPixels}).
 */
final class NormalizationCheck {
    private NormalizationCheck() {
    }

    static void check(ParsedFile parsed, Graph bound, Path weights, Diagnostics diagnostics) {
        if (bound.pixelNormalization() != null) {
            return;
        }
        Setting setting = parsed.train(bound.name()).flatMap(t -> t.setting("normalize")).orElse(null);
        if (setting == null || isNone(setting.value())) {
            return;
        }
        diagnostics.error(ErrorCode.UNRECORDED_NORMALIZATION, setting.value().pos(), "the train block normalizes"
                + " the data outside the model, but " + weights.getFileName() + " does not record that"
                + " normalization, so the compiled class could not apply it; train again (striate train records it"
                + " in the weights, and the class then gets predictPixels), or move it into the model as layers"
                + " (rescale(1/255), normalize(mean, std)) and set normalize = none");
        diagnostics.throwIfErrors();
    }

    private static boolean isNone(Value v) {
        return v instanceof Value.NameValue n && n.name().equals("none")
                || v instanceof Value.CallValue c && c.function().name().equals("none")
                || v instanceof Value.StringValue s && s.value().equals("none");
    }
}
