package dev.striate.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.CnnWriter;
import dev.striate.importer.onnx.ImportError;
import dev.striate.importer.onnx.Layer;
import dev.striate.text.JavaText;
import dev.striate.weights.Tensor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mapping of each supported Keras layer class to Striate layers (docs/import.md has the
 * table): reads the layer's configuration and variables, checks the form is one Striate computes
 * the same way, and adds the layer with its weights converted to Striate's layouts.
 */
class KerasLayers {
    /** The layer classes a model may use, as listed in error messages. */
    static final List<String> SUPPORTED = List.of("InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
            "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
            "Dense", "Flatten", "Dropout", "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
            "Add", "Concatenate", "ZeroPadding2D", "Rescaling");
    /** Keras activation names Striate has, as written in a layer call. */
    private static final Map<String, String> ACTIVATIONS = Map.of("linear", "linear", "relu", "relu",
            "sigmoid", "sigmoid", "tanh", "tanh", "softmax", "softmax", "elu", "elu", "leaky_relu", "leaky_relu(0.2)");
    private static final int MAX_SIZE = 1 << 16;

    /**
     * A value of the model.
     *
     * @param id its identifier in the {@code .cnn} file
     * @param shape its Striate shape ({@code [C, H, W]} or {@code [N]})
     * @param hwc for a vector that a Keras {@code Flatten} made from a {@code [C, H, W]} map, that
     *     shape (Keras's order is {@code H, W, C}, Striate's {@code C, H, W}); else null
     */
    record Value(String id, int[] shape, int[] hwc) {
        boolean isMap() {
            return shape.length == 3;
        }
    }

    final KerasFile file;
    final List<Layer> layers = new ArrayList<>();
    final Map<String, Tensor> weights = new LinkedHashMap<>();
    final List<String> omitted = new ArrayList<>();
    private final Set<String> valueIds = new HashSet<>();
    private final Set<String> layerNames = new HashSet<>();
    Value input;
    String inputId;
    int[] inputShape;

    /** The layer being translated (for messages). */
    private String current = "";
    private JsonNode cfg;

    KerasLayers(KerasFile file) {
        this.file = file;
    }

    CompileException form(String message) {
        return ImportError.at(file.path, ErrorCode.KERAS_UNSUPPORTED_FORM, message);
    }

    private CompileException layerForm(String message) {
        return form(current + " " + message);
    }

    /** The model input, from a Keras batch shape {@code [null, H, W, C]} or {@code [null, N]}. */
    Value input(JsonNode batchShape, String name) {
        if (!batchShape.isArray() || (batchShape.size() != 4 && batchShape.size() != 2)) {
            throw form("the input '" + KerasFile.shown(name) + "' has shape " + KerasFile.shown(String.valueOf(batchShape))
                    + "; Striate reads images [batch, H, W, C] (channels last) or vectors [batch, N]");
        }
        int[] dims = new int[batchShape.size() - 1];
        for (int i = 1; i < batchShape.size(); i++) {
            JsonNode d = batchShape.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 1 || d.asInt() > MAX_SIZE) {
                throw form("the input '" + KerasFile.shown(name) + "' dimension " + i + " is " + d
                        + "; only the batch may be dynamic: give the model a fixed input_shape");
            }
            dims[i - 1] = d.asInt();
        }
        inputShape = dims.length == 3 ? new int[] {dims[2], dims[0], dims[1]} : dims;
        String id = CnnWriter.RESERVED.contains(name) || name.equals("input") ? (dims.length == 3 ? "image" : "features")
                : name;
        inputId = JavaText.identifier(id.toLowerCase(Locale.ROOT), "v_", CnnWriter.RESERVED::contains, valueIds);
        input = new Value(inputId, inputShape, null);
        return input;
    }

    /** The model's output: a value whose element order Keras and Striate agree on. */
    Value checkedOutput(Value out) {
        if (out.hwc() != null) {
            throw form("the model's output is a channels-last Flatten of a map, whose order Striate's channel-major "
                    + "flatten does not reproduce");
        }
        if (out == input) {
            throw form("the model computes no layer (its output is its input)");
        }
        return out;
    }

    /** Translates one layer entry reading {@code ins}; returns its value. */
    Value layer(JsonNode entry, String key, List<Value> ins) {
        String cls = entry.path("class_name").asText("");
        cfg = entry.path("config");
        String name = cfg.path("name").asText(entry.path("name").asText(key));
        current = "layer '" + KerasFile.shown(name) + "' (" + KerasFile.shown(cls) + ")";
        if (!cfg.path("data_format").isMissingNode() && !cfg.path("data_format").isNull()
                && !cfg.path("data_format").asText().equals("channels_last")) {
            throw layerForm("has data_format '" + KerasFile.shown(cfg.path("data_format").asText())
                    + "'; Striate imports channels_last models (Keras's default)");
        }
        for (Value v : ins) {
            if (v.hwc() != null && !(cls.equals("Dense") || cls.equals("Dropout") || isElementwise(cls))) {
                throw layerForm("reads a channels-last Flatten of a map; Striate reproduces that order only for a "
                        + "Dense layer reading it");
            }
        }
        List<KerasFile.Array> vars = file.vars(name, key);
        Value x = ins.get(0);
        String source = name + " (" + cls + ")";
        Value out = switch (cls) {
            case "Conv2D" -> KerasConvs.conv(this, name, source, x, vars);
            case "DepthwiseConv2D" -> KerasConvs.depthwise(this, name, source, x, vars);
            case "SeparableConv2D" -> KerasConvs.separable(this, name, source, x, vars);
            case "Conv2DTranspose" -> KerasConvs.transposed(this, name, source, x, vars);
            case "MaxPooling2D", "AveragePooling2D" -> KerasConvs.pool(this, cls, name, source, x);
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> globalPool(cls, name, source, x);
            case "Dense" -> dense(name, source, x, vars);
            case "Flatten" -> flatten(name, source, x);
            case "Dropout" -> alias(source, x);
            case "BatchNormalization" -> batchNorm(name, source, x, vars);
            case "Activation" -> activationLayer(name, source, x);
            case "ReLU" -> relu(name, source, x);
            case "LeakyReLU" -> emit(name, alpha("leaky_relu", cfg.has("negative_slope") ? "negative_slope" : "alpha",
                    "0.3", "0.01"), source, List.of(x), x.shape(), x.hwc());
            case "ELU" -> emit(name, alpha("elu", "alpha", "1.0", "1.0"), source, List.of(x), x.shape(), x.hwc());
            case "Softmax" -> softmax(name, source, x);
            case "Add" -> merge(name, source, ins, "add");
            case "Concatenate" -> merge(name, source, ins, "concat");
            case "ZeroPadding2D" -> KerasConvs.zeroPadding(this, name, source, x);
            case "Rescaling" -> rescaling(name, source, x);
            default -> throw ImportError.at(file.path, ErrorCode.KERAS_UNSUPPORTED_LAYER, current
                    + " has no Striate layer. Supported: " + String.join(", ", SUPPORTED));
        };
        if (!vars.isEmpty() && !KerasConvs.WEIGHTED.contains(cls) && !cls.equals("Dense")
                && !cls.equals("BatchNormalization")) {
            throw ImportError.at(file.path, ErrorCode.KERAS_WEIGHTS, current + " has " + vars.size()
                    + " weights in the file; Striate's layer for it has none");
        }
        return out;
    }

    private static boolean isElementwise(String cls) {
        return Set.of("ReLU", "LeakyReLU", "ELU", "Add", "Activation", "Rescaling").contains(cls);
    }

    // ---- helpers shared with KerasConvs ---------------------------------------------------------------

    JsonNode cfg() {
        return cfg;
    }

    String current() {
        return current;
    }

    /** Adds a layer; {@code call} is the stack-form call without inputs. */
    Value emit(String layerName, String call, String source, List<Value> ins, int[] shape, int[] hwc) {
        if (Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw layerForm("gives an output of shape " + Arrays.toString(shape) + " for its input "
                    + Arrays.toString(ins.get(0).shape()) + " (a window larger than its input?)");
        }
        String op = call.contains("(") ? call.substring(0, call.indexOf('(')) : call;
        String id = JavaText.identifier(layerName.toLowerCase(Locale.ROOT), "v_", CnnWriter.RESERVED::contains,
                valueIds);
        layers.add(new Layer(id, call, op, ins.stream().map(Value::id).toList(), source));
        return new Value(id, shape, hwc);
    }

    /** A unique Striate layer name for a Keras layer name (the sanitizer of the ONNX import). */
    String layerName(String kerasName, String fallback) {
        return CnnWriter.layerName(kerasName, fallback, layerNames);
    }

    static String named(String layerName) {
        return "name=\"" + layerName + "\"";
    }

    void addWeight(String layer, String param, int[] shape, float[] data) {
        weights.put(layer + "." + param, new Tensor(layer + "." + param, shape, data));
    }

    /** The variables a layer must have: {@code count} of them, each with the given Keras shape. */
    void expect(List<KerasFile.Array> vars, int[]... shapes) {
        boolean ok = vars.size() == shapes.length;
        for (int i = 0; ok && i < shapes.length; i++) {
            ok = Arrays.equals(vars.get(i).shape(), shapes[i]);
        }
        if (!ok) {
            throw ImportError.at(file.path, ErrorCode.KERAS_WEIGHTS, current + " needs weights of shapes "
                    + Arrays.deepToString(shapes) + "; the file has " + vars.stream().map(a -> Arrays.toString(a.shape()))
                    .toList());
        }
    }

    Value map(Value v) {
        if (!v.isMap()) {
            throw layerForm("reads a value of shape " + Arrays.toString(v.shape()) + "; it needs a feature map");
        }
        return v;
    }

    /** {@code ", activation=relu"} for a Keras activation name ({@code ""} for linear). */
    String activation(JsonNode a) {
        String name = a.isMissingNode() || a.isNull() ? "linear" : a.isTextual() ? a.asText() : null;
        String striate = name == null ? null : ACTIVATIONS.get(name);
        if (striate == null) {
            throw layerForm("has activation " + KerasFile.shown(String.valueOf(a)) + "; Striate has "
                    + String.join(", ", ACTIVATIONS.keySet()));
        }
        return striate.equals("linear") ? "" : ", activation=" + striate;
    }

    /** A number from the configuration as written in the {@code .cnn} file. */
    String number(String key, String fallback) {
        JsonNode n = cfg.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw layerForm("has " + key + " " + KerasFile.shown(String.valueOf(n)) + "; Striate needs a number");
        }
        return plain(n.decimalValue());
    }

    static String plain(BigDecimal d) {
        String s = d.stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** An int or a list of {@code n} ints from the configuration, each within {@code [min, 65536]}. */
    int[] ints(String key, int n, int[] fallback, int min) {
        JsonNode v = cfg.path(key);
        if (v.isMissingNode() || v.isNull()) {
            if (fallback == null) {
                throw layerForm("has no " + key);
            }
            return fallback;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            JsonNode e = v.isArray() ? (v.size() == n ? v.get(i) : null) : v;
            if (e == null || !e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < min || e.asInt() > MAX_SIZE) {
                throw layerForm("has " + key + " " + KerasFile.shown(String.valueOf(v)) + "; Striate needs " + n
                        + " integers from " + min + " to " + MAX_SIZE);
            }
            out[i] = e.asInt();
        }
        return out;
    }

    private Value alias(String source, Value x) {
        omitted.add(source);
        return x;
    }

    private Value globalPool(String cls, String name, String source, Value x) {
        map(x);
        if (cfg.path("keepdims").asBoolean(false)) {
            throw layerForm("has keepdims=True; Striate's global pools give a vector");
        }
        return emit(name, cls.startsWith("GlobalAverage") ? "globalavgpool" : "globalmaxpool", source, List.of(x),
                new int[] {x.shape()[0]}, null);
    }

    private Value dense(String kerasName, String source, Value x, List<KerasFile.Array> vars) {
        if (x.isMap()) {
            throw layerForm("reads a feature map " + Arrays.toString(x.shape()) + "; Keras applies Dense to the last "
                    + "axis there, which Striate's dense does not: put a Flatten or a global pool before it");
        }
        int in = x.shape()[0];
        int units = ints("units", 1, null, 1)[0];
        boolean bias = cfg.path("use_bias").asBoolean(true);
        expect(vars, bias ? new int[][] {{in, units}, {units}} : new int[][] {{in, units}});
        String layer = layerName(kerasName, "dense");
        float[] w;
        if (x.hwc() != null) { // Keras flattened H, W, C; Striate flattens C, H, W: permute the kernel's rows
            int c = x.hwc()[0];
            int hw = x.hwc()[1] * x.hwc()[2];
            float[] k = vars.get(0).data();
            w = new float[in * units];
            for (int u = 0; u < units; u++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < hw; p++) {
                        w[u * in + ch * hw + p] = k[(p * c + ch) * units + u];
                    }
                }
            }
        } else {
            w = KerasConvs.oihw(vars.get(0).data(), 1, 1, in, units);
        }
        addWeight(layer, "weight", new int[] {units, in}, w);
        if (bias) {
            addWeight(layer, "bias", new int[] {units}, vars.get(1).data());
        }
        String call = "dense(" + units + (bias ? "" : ", bias=false") + activation(cfg.path("activation")) + ", "
                + named(layer) + ")";
        return emit(kerasName, call, source, List.of(x), new int[] {units}, null);
    }

    private Value flatten(String name, String source, Value x) {
        if (!x.isMap()) {
            return alias(source, x);
        }
        int[] s = x.shape();
        boolean sameOrder = s[0] == 1 || s[1] * s[2] == 1;
        return emit(name, "flatten", source, List.of(x), new int[] {s[0] * s[1] * s[2]}, sameOrder ? null : s);
    }

    private Value batchNorm(String kerasName, String source, Value x, List<KerasFile.Array> vars) {
        JsonNode axis = cfg.path("axis");
        JsonNode a = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        int rank = x.shape().length + 1;
        if (!a.isMissingNode() && !(a.isIntegralNumber() && (a.asInt() == -1 || a.asInt() == rank - 1))) {
            throw layerForm("normalizes axis " + KerasFile.shown(String.valueOf(axis)) + "; Striate normalizes the "
                    + "channels (axis -1)");
        }
        int c = x.shape()[0];
        boolean scale = cfg.path("scale").asBoolean(true);
        boolean center = cfg.path("center").asBoolean(true);
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < (scale ? 1 : 0) + (center ? 1 : 0) + 2; i++) {
            shapes.add(new int[] {c});
        }
        expect(vars, shapes.toArray(new int[0][]));
        int i = 0;
        float[] gamma = scale ? vars.get(i++).data() : filled(c, 1f);
        float[] beta = center ? vars.get(i++).data() : filled(c, 0f);
        String layer = layerName(kerasName, "batchnorm");
        addWeight(layer, "weight", new int[] {c}, gamma);
        addWeight(layer, "bias", new int[] {c}, beta);
        addWeight(layer, "running_mean", new int[] {c}, vars.get(i++).data());
        addWeight(layer, "running_var", new int[] {c}, vars.get(i).data());
        String eps = number("epsilon", "0.001");
        // Keras's momentum weighs the old statistics (0.99), PyTorch's and Striate's the new batch's (0.01)
        String momentum = plain(BigDecimal.ONE.subtract(new BigDecimal(number("momentum", "0.99"))));
        String call = "batchnorm(epsilon=" + eps + ", momentum=" + momentum + ", " + named(layer) + ")";
        return emit(kerasName, call, source, List.of(x), x.shape(), x.hwc());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private Value activationLayer(String name, String source, Value x) {
        String a = activation(cfg.path("activation"));
        if (a.isEmpty()) {
            return alias(source, x);
        }
        String call = a.substring(", activation=".length());
        if (x.hwc() != null && call.equals("softmax")) {
            throw layerForm("reads a channels-last Flatten of a map; Striate reproduces that order only for a Dense "
                    + "layer reading it");
        }
        return emit(name, call, source, List.of(x), x.shape(), x.hwc());
    }

    private Value relu(String name, String source, Value x) {
        JsonNode max = cfg.path("max_value");
        if (!(max.isMissingNode() || max.isNull()) || cfg.path("threshold").asDouble(0) != 0) {
            throw layerForm("has max_value " + KerasFile.shown(String.valueOf(max)) + " and threshold "
                    + KerasFile.shown(String.valueOf(cfg.path("threshold"))) + "; Striate's relu has neither (no relu6)");
        }
        String slope = number("negative_slope", "0");
        String call = new BigDecimal(slope).signum() == 0 ? "relu" : "leaky_relu(alpha=" + slope + ")";
        return emit(name, call, source, List.of(x), x.shape(), x.hwc());
    }

    /** {@code op(alpha=A)} with A read from {@code key} (Keras's default {@code kerasDefault}), bare at Striate's default. */
    private String alpha(String op, String key, String kerasDefault, String striateDefault) {
        String a = number(key, kerasDefault);
        return new BigDecimal(a).compareTo(new BigDecimal(striateDefault)) == 0 ? op : op + "(alpha=" + a + ")";
    }

    private Value softmax(String name, String source, Value x) {
        JsonNode axis = cfg.path("axis");
        JsonNode a = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        if (!a.isMissingNode() && !(a.isIntegralNumber() && (a.asInt() == -1 || a.asInt() == x.shape().length))) {
            throw layerForm("runs over axis " + KerasFile.shown(String.valueOf(axis)) + "; Striate's softmax runs "
                    + "over the channels (axis -1)");
        }
        return emit(name, "softmax", source, List.of(x), x.shape(), null);
    }

    private Value merge(String name, String source, List<Value> ins, String op) {
        if (ins.size() < 2) {
            throw layerForm("reads " + ins.size() + " tensor; it needs two or more");
        }
        int[] hwc = ins.get(0).hwc();
        for (Value v : ins) {
            if (!Arrays.equals(v.hwc(), hwc) || (op.equals("concat") && hwc != null)) {
                throw layerForm("reads a channels-last Flatten of a map; Striate reproduces that order only for a "
                        + "Dense layer reading it");
            }
        }
        int[] shape = ins.get(0).shape().clone();
        if (op.equals("concat")) {
            JsonNode axis = cfg.path("axis");
            if (!axis.isMissingNode() && !(axis.isIntegralNumber() && (axis.asInt() == -1 || axis.asInt() == shape.length))) {
                throw layerForm("joins along axis " + KerasFile.shown(String.valueOf(axis)) + "; Striate joins "
                        + "channels (axis -1)");
            }
            shape[0] = 0;
            for (Value v : ins) {
                if (v.shape().length != shape.length || !Arrays.equals(Arrays.copyOfRange(v.shape(), 1, shape.length),
                        Arrays.copyOfRange(shape, 1, shape.length))) {
                    throw layerForm("joins shapes " + ins.stream().map(i -> Arrays.toString(i.shape())).toList()
                            + " (as Striate's [C, H, W]) that differ other than in channels");
                }
                shape[0] = Math.addExact(shape[0], v.shape()[0]);
            }
        } else {
            for (Value v : ins) {
                if (!Arrays.equals(v.shape(), shape)) {
                    throw layerForm("adds shapes " + ins.stream().map(i -> Arrays.toString(i.shape())).toList()
                            + "; Striate adds values of one shape (no broadcasting)");
                }
            }
        }
        return emit(name, op, source, ins, shape, hwc);
    }

    private Value rescaling(String name, String source, Value x) {
        String scale = number("scale", "1");
        String offset = number("offset", "0");
        String call = "rescale(" + scale + (new BigDecimal(offset).signum() == 0 ? "" : ", offset=" + offset) + ")";
        return emit(name, call, source, List.of(x), x.shape(), x.hwc());
    }
}
