package dev.striate.training;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.args.Arguments;
import dev.striate.frontend.args.Range;
import dev.striate.frontend.args.Values;
import dev.striate.frontend.ast.Value;
import dev.striate.train.ImageTargets;
import java.util.List;

/**
 * Reads the train block's image-to-image settings: {@code target = classes | image | image(scale=S)}
 * (what the loss compares the output with: the class labels (the default), or the input image times {@code S})
 * and {@code noise = none | gaussian(std, min, max)} (seeded Gaussian noise on the input, the
 * target staying the clean image: a denoising autoencoder). Every mistake is reported at its
 * value's position: {@code E516} for the target, {@code E517} for the noise.
 */
final class ImageTargetSettings {
    private static final List<String> TARGETS = List.of("classes", "image");
    private static final List<String> NOISES = List.of("none", "gaussian");

    private Double scale;
    private boolean inputTarget;
    private SourcePos targetPos;
    private double std;
    private double min = Double.NEGATIVE_INFINITY;
    private double max = Double.POSITIVE_INFINITY;
    private SourcePos noisePos;
    private boolean targetFailed;

    /** Reads {@code target = ...}. */
    void target(Value v, Diagnostics diagnostics) {
        targetPos = v.pos();
        targetFailed = true;
        String name = Values.callName(v, "target", diagnostics);
        if (name == null) {
            return;
        }
        if (!TARGETS.contains(name)) {
            diagnostics.error(ErrorCode.TARGET_SETTING, v.pos(), "unknown target '" + name + "'"
                    + Suggestions.didYouMean(name, TARGETS) + " (targets: classes, image, image(scale))");
            return;
        }
        Arguments args = Arguments.of(v, name.equals("image") ? List.of("scale") : List.of(), diagnostics);
        if (name.equals("classes")) {
            targetFailed = !args.ok();
            return;
        }
        double s = args.number("scale", 1, Range.ANY);
        if (s == 0 || !Float.isFinite((float) s) || (float) s == 0) {
            diagnostics.error(ErrorCode.TARGET_SETTING, args.has("scale") ? args.value("scale").pos() : v.pos(),
                    "the target scale must be a non-zero number within float range, got " + s);
            return;
        }
        inputTarget = args.ok();
        targetFailed = !inputTarget;
        scale = s;
    }

    /** Reads {@code noise = ...}. */
    void noise(Value v, Diagnostics diagnostics) {
        noisePos = v.pos();
        String name = Values.callName(v, "noise", diagnostics);
        if (name == null) {
            return;
        }
        if (!NOISES.contains(name)) {
            diagnostics.error(ErrorCode.NOISE_SETTING, v.pos(), "unknown noise '" + name + "'"
                    + Suggestions.didYouMean(name, NOISES) + " (noises: none, gaussian(std, min, max))");
            return;
        }
        if (name.equals("none")) {
            Arguments.of(v, List.of(), diagnostics);
            noisePos = null;
            return;
        }
        Arguments args = Arguments.of(v, List.of("std", "min", "max"), diagnostics);
        args.require("std", "the noise's standard deviation, in the units of the model's input");
        double sd = args.number("std", 0, Range.ANY);
        double lo = args.number("min", Double.NEGATIVE_INFINITY, Range.ANY);
        double hi = args.number("max", Double.POSITIVE_INFINITY, Range.ANY);
        if (!(sd >= 0) || !Float.isFinite((float) sd)) {
            diagnostics.error(ErrorCode.NOISE_SETTING, args.has("std") ? args.value("std").pos() : v.pos(),
                    "the noise's std must be >= 0 and within float range, got " + sd);
            return;
        }
        if (!(lo < hi)) {
            diagnostics.error(ErrorCode.NOISE_SETTING, args.has("max") ? args.value("max").pos() : v.pos(),
                    "the noise's min must be below its max, got min " + lo + ", max " + hi);
            return;
        }
        std = sd;
        min = lo;
        max = hi;
    }

    /** After the whole block: noise needs image targets. */
    void finish(Diagnostics diagnostics) {
        if (noisePos != null && std > 0 && !inputTarget && !targetFailed) {
            diagnostics.error(ErrorCode.NOISE_SETTING, noisePos, "noise makes a denoising autoencoder and needs "
                    + "image targets: add target = image (the clean image is then the target)");
        }
    }

    /** The image targets the block describes, or {@code fallback} when it sets none. */
    ImageTargets result(ImageTargets fallback) {
        if (!inputTarget) {
            return targetPos != null ? null : fallback;
        }
        return new ImageTargets(scale, std, min, max);
    }
}
