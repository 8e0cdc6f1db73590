package dev.striate.importer.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.CnnWriter;
import dev.striate.importer.onnx.ImportError;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.text.JavaText;
import dev.striate.weights.WeightSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports a Keras model: a Keras 3 {@code .keras} archive or a Keras 2 {@code .h5} file saved with
 * {@code model.save}. Reads the model's configuration (Sequential or Functional), maps each layer
 * to a Striate layer ({@link KerasLayers}) with its weights converted from channels-last
 * ({@code HWIO} kernels, {@code H, W, C} flatten order) to Striate's layouts, and writes the same
 * readable {@code .cnn} form as the ONNX import. Errors are E610-E614, at the Keras file.
 */
public final class KerasImport {
    private KerasImport() {
    }

    /** True for {@code *.keras}, {@code *.h5} and {@code *.hdf5} (any case). */
    public static boolean isKeras(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".keras") || n.endsWith(".h5") || n.endsWith(".hdf5");
    }

    /** Reads and translates {@code file}; {@code modelName} is the model's (checked) name. */
    public static OnnxImport.Result read(Path file, String modelName) throws IOException {
        try (KerasFile kf = KerasFile.open(file)) {
            KerasGraph g = new KerasGraph(kf);
            String output;
            try {
                output = g.run();
            } catch (CompileException e) {
                throw e;
            } catch (RuntimeException e) { // jHDF's and arithmetic's errors on a damaged file
                throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "the model is malformed or damaged: "
                        + KerasFile.shown(String.valueOf(e)));
            }
            String header = "Imported by 'striate import' from " + JavaText.comment(file.getFileName().toString())
                    + " (Keras " + JavaText.comment(KerasFile.shown(kf.version)) + ", "
                    + (kf.legacy ? "legacy HDF5 .h5" : ".keras") + " format).\n"
                    + "Each line's comment names the Keras layer it comes from; weights are converted from "
                    + "channels-last.";
            String source = CnnWriter.write(modelName, header, g.inputId, g.inputShape, g.layers, output, g.omitted);
            return new OnnxImport.Result(modelName, source, new WeightSet(modelName, g.weights));
        }
    }

    /** The model's structure: its layers in order, each with the values it reads. */
    static final class KerasGraph extends KerasLayers {
        KerasGraph(KerasFile file) {
            super(file);
        }

        /** Translates the model; returns the output value's identifier. */
        String run() {
            JsonNode root = file.model;
            String cls = root.path("class_name").asText("");
            JsonNode config = root.path("config");
            JsonNode entries = config.isArray() ? config : config.path("layers");
            if (!entries.isArray() || !(cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model"))) {
                throw form("the model is a '" + KerasFile.shown(cls) + "'" + (entries.isArray() ? ""
                        : " without a list of layers") + "; Striate imports Sequential and Functional models (a "
                        + "subclassed model's structure is Python code, which the file does not hold)");
            }
            if (entries.isEmpty() || entries.size() > 5_000) {
                throw form("the model has " + entries.size() + " layers");
            }
            return cls.equals("Sequential") ? sequential(root, entries) : functional(config, entries);
        }

        private String sequential(JsonNode root, JsonNode entries) {
            int first = 0;
            JsonNode shape;
            if (entries.get(0).path("class_name").asText().equals("InputLayer")) {
                shape = batchShape(entries.get(0).path("config"));
                first = 1;
            } else {
                shape = batchShape(entries.get(0).path("config"));
                if (shape.isMissingNode()) {
                    shape = root.path("build_config").path("input_shape");
                }
                if (shape.isMissingNode()) {
                    shape = root.path("config").path("build_input_shape");
                }
            }
            Value previous = input(shape, "input");
            Map<String, Integer> keys = new HashMap<>();
            for (int i = first; i < entries.size(); i++) {
                JsonNode e = entries.get(i);
                previous = layer(e, storageKey(e, keys), List.of(previous));
            }
            return previous.id();
        }

        private String functional(JsonNode config, JsonNode entries) {
            String inputName = single(config.path("input_layers"), "input");
            String outputName = single(config.path("output_layers"), "output");
            Map<String, Value> values = new HashMap<>();
            Map<String, Integer> keys = new HashMap<>();
            for (JsonNode e : entries) {
                String name = e.path("name").asText(e.path("config").path("name").asText(""));
                String key = storageKey(e, keys);
                if (values.containsKey(name)) {
                    throw form("two layers are named '" + KerasFile.shown(name) + "'");
                }
                if (e.path("class_name").asText().equals("InputLayer")) {
                    if (!name.equals(inputName)) {
                        throw form("the model has an input '" + KerasFile.shown(name) + "' besides '"
                                + KerasFile.shown(inputName) + "'; Striate models have one input");
                    }
                    values.put(name, input(batchShape(e.path("config")), name));
                    continue;
                }
                List<Value> ins = new ArrayList<>();
                for (String from : inbound(e, name)) {
                    Value v = values.get(from);
                    if (v == null) {
                        throw form("layer '" + KerasFile.shown(name) + "' reads '" + KerasFile.shown(from)
                                + "', which is not a layer before it");
                    }
                    ins.add(v);
                }
                values.put(name, layer(e, key, ins));
            }
            Value out = values.get(outputName);
            if (out == null || input == null) {
                throw form("the model's " + (input == null ? "input '" + KerasFile.shown(inputName)
                        : "output '" + KerasFile.shown(outputName)) + "' is not one of its layers");
            }
            return checkedOutput(out).id();
        }

        /**
         * A layer's storage key in a {@code .keras} weights file: its class in snake case, {@code _1},
         * {@code _2}... for repeats (Keras 3's {@code layers/}). tf.keras 2.13-2.15 reached the layers through
         * {@code _layer_checkpoint_dependencies}, which lists a layer with variables twice
         * ({@code layer_with_weights-k}, {@code layer-i}); its counter counts the repeat it skips, so such a
         * layer also uses up the next number ({@code conv2d}, {@code conv2d_2}).
         */
        private String storageKey(JsonNode entry, Map<String, Integer> used) {
            String key = snakeCase(entry.path("class_name").asText(""));
            Integer n = used.get(key);
            String k = n == null ? key : key + "_" + n;
            int next = n == null ? 1 : n + 1;
            if (file.checkpointLayout() && file.hasVars(k)) {
                next++;
            }
            used.put(key, next);
            return k;
        }

        /** Keras's {@code naming.to_snake_case}. */
        static String snakeCase(String name) {
            String s = name.replaceAll("[^\\w]+", "");
            s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
            return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }

        private static JsonNode batchShape(JsonNode layerConfig) {
            JsonNode s = layerConfig.path("batch_shape");
            return s.isMissingNode() ? layerConfig.path("batch_input_shape") : s;
        }

        /** The one layer name of {@code [name, 0, 0]} or {@code [[name, 0, 0]]}. */
        private String single(JsonNode refs, String what) {
            JsonNode ref = refs.isArray() && refs.size() == 1 && refs.get(0).isArray() ? refs.get(0) : refs;
            if (!ref.isArray() || ref.size() != 3 || !ref.get(0).isTextual()) {
                throw form("the model has " + (refs.isArray() && refs.size() > 1 && refs.get(0).isArray()
                        ? refs.size() + " " + what + "s; Striate models have one" : "no readable " + what + "_layers"));
            }
            return ref.get(0).asText();
        }

        /** The layers a Functional model's layer reads, from its one inbound node (Keras 2 or Keras 3 form). */
        private List<String> inbound(JsonNode entry, String name) {
            JsonNode nodes = entry.path("inbound_nodes");
            if (!nodes.isArray() || nodes.size() != 1) {
                throw form("layer '" + KerasFile.shown(name) + "' is called " + (nodes.isArray() ? nodes.size() : 0)
                        + " times; Striate imports layers called once (no shared layers)");
            }
            List<String> from = new ArrayList<>();
            JsonNode node = nodes.get(0);
            if (node.isArray()) { // Keras 2: [[name, node index, tensor index, kwargs], ...]
                for (JsonNode ref : node) {
                    history(ref, name, from);
                }
            } else { // Keras 3: {"args": [...], "kwargs": {...}} with __keras_tensor__ references
                tensors(node.path("args"), name, from, 0);
                List<String> kw = new ArrayList<>();
                tensors(node.path("kwargs"), name, kw, 0);
                if (!kw.isEmpty()) {
                    throw form("layer '" + KerasFile.shown(name) + "' takes tensors as keyword arguments (a mask?)");
                }
            }
            if (from.isEmpty()) {
                throw form("layer '" + KerasFile.shown(name) + "' reads no tensor");
            }
            return from;
        }

        private void tensors(JsonNode n, String name, List<String> out, int depth) {
            if (depth > 16) {
                throw form("layer '" + KerasFile.shown(name) + "' has arguments nested too deeply");
            }
            if (n.isObject() && n.path("class_name").asText().equals("__keras_tensor__")) {
                history(n.path("config").path("keras_history"), name, out);
            } else if (n.isObject() && n.path("class_name").asText().equals("__tuple__")) {
                tensors(n.path("config").path("value"), name, out, depth + 1);
            } else if (n.isArray()) {
                for (JsonNode c : n) {
                    tensors(c, name, out, depth + 1);
                }
            } else if (n.isObject()) {
                for (JsonNode c : n) {
                    tensors(c, name, out, depth + 1);
                }
            }
        }

        private void history(JsonNode ref, String name, List<String> out) {
            if (!ref.isArray() || ref.size() < 3 || !ref.get(0).isTextual()) {
                throw form("layer '" + KerasFile.shown(name) + "' has an unreadable inbound node");
            }
            if (ref.get(1).asInt(-1) != 0 || ref.get(2).asInt(-1) != 0) {
                throw form("layer '" + KerasFile.shown(name) + "' reads output " + ref.get(2) + " of call " + ref.get(1)
                        + " of '" + KerasFile.shown(ref.get(0).asText()) + "'; Striate imports layers called once, "
                        + "with one output");
            }
            out.add(ref.get(0).asText());
        }
    }

    static CompileException unsupported(Path file, String message) {
        return ImportError.at(file, ErrorCode.KERAS_UNSUPPORTED_FORM, message);
    }
}
