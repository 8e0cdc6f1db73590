package dev.striate.frontend.lower;

import static dev.striate.frontend.lower.Param.optional;
import static dev.striate.frontend.lower.Param.required;

import dev.striate.frontend.args.Range;
import dev.striate.frontend.lower.OpSignature.Arity;
import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Maxout;
import dev.striate.ir.Normalize;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.UntiedBias;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every layer of the language in one table: its name, its argument signature as documented in
 * {@code docs/language.md} (a test keeps the two in step) and the IR op it builds. Several names
 * may build one op kind ({@code depthwise_conv2d} is a {@code Conv2d}); an op's name in printed
 * IR is its {@code kind()}.
 */
final class OpCatalog {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};
    private static final Map<String, OpSignature> OPS = new LinkedHashMap<>();

    static {
        Param kernel = required("kernel", ArgType.PAIR, Range.POSITIVE);
        Param stride = optional("stride", ArgType.PAIR, Range.POSITIVE, ONE);
        Param padding = optional("padding", ArgType.PADDING, Range.ANY, Padding.VALID);
        Param dilation = optional("dilation", ArgType.PAIR, Range.POSITIVE, ONE);
        Param groups = optional("groups", ArgType.INT, Range.POSITIVE, 1);
        Param bias = optional("bias", ArgType.BOOL, Range.ANY, true);
        Param activation = optional("activation", ArgType.ACTIVATION, Range.ANY, Activation.IDENTITY);
        Param filters = required("filters", ArgType.INT, Range.POSITIVE);

        layer("conv2d", List.of(filters, kernel, stride, padding, dilation, groups, bias, activation), (a, in) -> {
            int[] k = a.pair("kernel");
            int[] s = a.pair("stride");
            int[] d = a.pair("dilation");
            return new Conv2d(a.integer("filters"), k[0], k[1], s[0], s[1], a.padding("padding"), d[0], d[1],
                    a.integer("groups"), a.bool("bias"), a.activation("activation"));
        });
        layer("depthwise_conv2d", List.of(kernel, optional("multiplier", ArgType.INT, Range.POSITIVE, 1),
                stride, padding, dilation, bias, activation), (a, in) -> {
                    int[] k = a.pair("kernel");
                    int[] s = a.pair("stride");
                    int[] d = a.pair("dilation");
                    int channels = in.isKnown() ? in.channels() : 1;
                    return new Conv2d(Math.multiplyExact(channels, a.integer("multiplier")), k[0], k[1], s[0], s[1],
                            a.padding("padding"), d[0], d[1], channels, a.bool("bias"), a.activation("activation"));
                });
        layer("conv_transpose2d", List.of(filters, kernel, stride,
                optional("padding", ArgType.PAIR, Range.NON_NEGATIVE, ZERO),
                optional("output_padding", ArgType.PAIR, Range.NON_NEGATIVE, ZERO),
                dilation, groups, bias, activation), (a, in) -> {
                    int[] k = a.pair("kernel");
                    int[] s = a.pair("stride");
                    int[] p = a.pair("padding");
                    int[] op = a.pair("output_padding");
                    int[] d = a.pair("dilation");
                    return new ConvTranspose2d(a.integer("filters"), k[0], k[1], s[0], s[1], p[0], p[1], op[0], op[1],
                            d[0], d[1], a.integer("groups"), a.bool("bias"), a.activation("activation"));
                });
        Param size = required("size", ArgType.PAIR, Range.POSITIVE);
        Param poolStride = optional("stride", ArgType.PAIR, Range.POSITIVE, null);
        layer("maxpool", List.of(size, poolStride, padding), (a, in) -> pool(Pool2d.Kind.MAX, a, true));
        layer("avgpool", List.of(size, poolStride, padding,
                optional("count_include_pad", ArgType.BOOL, Range.ANY, true)),
                (a, in) -> pool(Pool2d.Kind.AVG, a, a.bool("count_include_pad")));
        layer("globalavgpool", List.of(), (a, in) -> new GlobalPool(Pool2d.Kind.AVG));
        layer("globalmaxpool", List.of(), (a, in) -> new GlobalPool(Pool2d.Kind.MAX));
        layer("dense", List.of(required("units", ArgType.INT, Range.POSITIVE), bias, activation),
                (a, in) -> new Dense(a.integer("units"), a.bool("bias"), a.activation("activation")));
        layer("flatten", List.of(), (a, in) -> new Flatten());
        layer("dropout", List.of(optional("rate", ArgType.FLOAT, Range.PROPER_FRACTION, 0.5f)),
                (a, in) -> new Dropout(a.number("rate")));
        layer("batchnorm", List.of(optional("epsilon", ArgType.FLOAT, Range.POSITIVE, 1e-5f),
                optional("momentum", ArgType.FLOAT, Range.FRACTION, 0.1f)),
                (a, in) -> new BatchNorm(a.number("epsilon"), a.number("momentum")));
        activation("relu", List.of(), a -> Activation.RELU);
        activation("sigmoid", List.of(), a -> Activation.SIGMOID);
        activation("tanh", List.of(), a -> Activation.TANH);
        activation("softmax", List.of(), a -> Activation.SOFTMAX);
        activation("linear", List.of(), a -> Activation.IDENTITY);
        activation("leaky_relu", List.of(optional("alpha", ArgType.FLOAT, Range.ANY, 0.01f)),
                a -> new Activation.LeakyRelu(a.number("alpha")));
        activation("elu", List.of(optional("alpha", ArgType.FLOAT, Range.ANY, 1.0f)),
                a -> new Activation.Elu(a.number("alpha")));
        layer("maxout", List.of(required("pieces", ArgType.INT, Range.POSITIVE)),
                (a, in) -> new Maxout(a.integer("pieces")));
        OPS.put("add", new OpSignature("add", List.of(), Arity.TWO_OR_MORE, false, (a, in) -> new Add()));
        OPS.put("concat", new OpSignature("concat", List.of(), Arity.TWO_OR_MORE, false, (a, in) -> new Concat()));
        layer("pixel_shuffle", List.of(required("factor", ArgType.INT, Range.POSITIVE)),
                (a, in) -> new PixelShuffle(a.integer("factor")));
        layer("untied_bias", List.of(), (a, in) -> new UntiedBias());
        layer("pad", List.of(required("padding", ArgType.PADS, Range.ANY)),
                (a, in) -> new Pad((Padding.Explicit) a.padding("padding")));
        layer("normalize", List.of(required("mean", ArgType.FLOATS, Range.ANY),
                required("std", ArgType.FLOATS, Range.NON_ZERO)),
                (a, in) -> new Normalize(a.numbers("mean"), a.numbers("std")));
        layer("rescale", List.of(required("scale", ArgType.FLOAT, Range.ANY),
                optional("offset", ArgType.FLOAT, Range.ANY, 0f)),
                (a, in) -> new Rescale(a.number("scale"), a.number("offset")));
    }

    private OpCatalog() {
    }

    /** The signature of a layer, if the language has one of that name. */
    static Optional<OpSignature> find(String name) {
        return Optional.ofNullable(OPS.get(name));
    }

    /** All layer names, in catalog order (for suggestions). */
    static Set<String> names() {
        return OPS.keySet();
    }

    /** The names usable as {@code activation=}. */
    static List<String> activationNames() {
        return OPS.values().stream().filter(OpSignature::isActivation).map(OpSignature::name).toList();
    }

    private static Pool2d pool(Pool2d.Kind kind, BoundArgs a, boolean countIncludePad) {
        int[] k = a.pair("size");
        int[] s = a.has("stride") ? a.pair("stride") : k;
        return new Pool2d(kind, k[0], k[1], s[0], s[1], a.padding("padding"), countIncludePad);
    }

    private static void layer(String name, List<Param> params, OpSignature.Factory factory) {
        OPS.put(name, new OpSignature(name, params, Arity.ONE, false, factory));
    }

    private interface ActivationFactory {
        Activation build(BoundArgs a);
    }

    private static void activation(String name, List<Param> params, ActivationFactory factory) {
        OPS.put(name, new OpSignature(name, params, Arity.ONE, true, (a, in) -> new Activate(factory.build(a))));
    }
}
