package dev.striate.importer.safetensors;

import dev.striate.CompileRequest;
import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.importer.safetensors.SafetensorsFile.Entry;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.ParamSpec;
import dev.striate.passes.BindWeights;
import dev.striate.weights.Show;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports a PyTorch {@code state_dict} saved as safetensors into Striate weights for an existing
 * {@code .cnn} model. Tensors are mapped to the model's parameters in three steps: {@code --map}
 * rules ({@code prefix=layer}: the tensor {@code prefix.rest} becomes {@code layer.rest}), then
 * equal names, then, for what is left, whole modules to whole layers whose parameters have the
 * same names and shapes, only where exactly one module and one layer have that signature.
 * {@code num_batches_tracked} is ignored. Anything left on either side is an error (E608) listing
 * both sides; layouts need no conversion (Striate's are PyTorch's). Nothing is written on error.
 */
public final class StateDictImport {
    /** The hint given for a PyTorch pickle checkpoint: the two commands that turn it into a file Striate reads. */
    public static final String CHECKPOINT_HINT = "Striate does not read PyTorch checkpoints (unpickling runs code). "
            + "Turn the model into ONNX: torch.onnx.export(model.eval(), torch.randn(1, C, H, W), \"net.onnx\") and "
            + "striate import net.onnx; or, for a .cnn model you already have, save the state_dict as safetensors: "
            + "python3 -c \"import torch, safetensors.torch as st; st.save_file(torch.load('net.pt', "
            + "map_location='cpu'), 'net.safetensors')\" and striate import net.safetensors --model net.cnn";

    /** At most this many names per list in a message. */
    private static final int LISTED = 40;

    private StateDictImport() {
    }

    /**
     * How one tensor was mapped.
     *
     * @param tensor the PyTorch name, printable ({@link Show#text})
     * @param parameter the model's parameter ({@code layer.param})
     * @param rule {@code "--map"}, {@code "name"} or {@code "shape"}
     */
    public record Mapping(String tensor, String parameter, String rule) {
    }

    /**
     * The imported weights.
     *
     * @param weights keyed by the model's parameters, in graph order
     * @param mappings how each tensor was mapped, in graph order
     * @param ignored the tensors left out on purpose ({@code num_batches_tracked}), printable
     */
    public record Result(WeightSet weights, List<Mapping> mappings, List<String> ignored) {
    }

    /** One parameter of the model. */
    private record Param(String layer, String param, String key, int[] shape) {
        String shapeString() {
            return Arrays.toString(shape);
        }
    }

    /** True for a file named {@code *.safetensors}. */
    public static boolean isSafetensors(Path file) {
        return lowerName(file).endsWith(".safetensors");
    }

    /** True for a file named like a PyTorch checkpoint ({@code .pt}, {@code .pth}, {@code .ckpt}). */
    public static boolean isCheckpoint(Path file) {
        String name = lowerName(file);
        return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt");
    }

    /** The refusal of a PyTorch checkpoint (E601), with the two commands that convert it. */
    public static CompileException refuseCheckpoint(Path file) {
        return SafetensorsFile.error(file, ErrorCode.IMPORT_UNREADABLE, "is a PyTorch checkpoint. " + CHECKPOINT_HINT);
    }

    private static String lowerName(Path file) {
        Path name = file.getFileName();
        return name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code safetensors} and maps it onto the model in {@code model} (a {@code .cnn} file with
     * one model); {@code maps} are {@code prefix=layer} rules.
     */
    public static Result read(Path safetensors, Path model, List<String> maps) {
        if (isCheckpoint(safetensors)) {
            throw refuseCheckpoint(safetensors);
        }
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = Compiler.loadModel(model, null, diagnostics);
        try {
            SafetensorsFile file = SafetensorsFile.read(safetensors);
            return new StateDictImport.Run(file, graph, rules(safetensors, graph, maps)).run();
        } catch (NoSuchFileException e) {
            throw SafetensorsFile.error(safetensors, ErrorCode.IO, "file not found");
        } catch (IOException e) {
            throw SafetensorsFile.error(safetensors, ErrorCode.IO, "cannot read: " + e.getMessage());
        }
    }

    /**
     * {@link #read}, then writes the weights to {@code out} (null: {@code <model>.weights.json}
     * beside the model), blob then manifest, each atomically; returns what was mapped and where.
     */
    public static Written write(Path safetensors, Path model, List<String> maps, Path out) {
        Result r = read(safetensors, model, maps);
        Path manifest = out != null ? out : CompileRequest.builder(model).build().weightsPath();
        try {
            WeightsFile.write(manifest, r.weights());
        } catch (IOException e) {
            throw SafetensorsFile.error(manifest, ErrorCode.IO, "cannot write the weights: " + e.getMessage());
        }
        return new Written(r, manifest);
    }

    /** What {@link #write} mapped and the manifest it wrote. */
    public record Written(Result result, Path manifest) {
    }

    /** The {@code --map} rules, prefix to layer; each layer must have parameters. */
    private static Map<String, String> rules(Path file, Graph graph, List<String> maps) {
        Map<String, String> rules = new LinkedHashMap<>();
        List<String> layers = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!n.op().params(graph.inputShapes(n)).isEmpty()) {
                layers.add(n.name());
            }
        }
        for (String m : maps == null ? List.<String>of() : maps) {
            int eq = m.indexOf('=');
            String prefix = eq < 0 ? "" : m.substring(0, eq).strip();
            String layer = eq < 0 ? "" : m.substring(eq + 1).strip();
            if (prefix.isEmpty() || layer.isEmpty()) {
                throw mapping(file, "--map '" + Show.text(m) + "' must be PREFIX=LAYER, e.g. --map 'features.0=conv2d_1'");
            }
            if (!layers.contains(layer)) {
                throw mapping(file, "--map '" + Show.text(m) + "': model " + graph.name() + " has no layer '"
                        + Show.text(layer) + "' with parameters; its layers with parameters: " + list(layers));
            }
            if (rules.put(prefix, layer) != null) {
                throw mapping(file, "--map gives prefix '" + Show.text(prefix) + "' twice");
            }
        }
        return rules;
    }

    private static CompileException mapping(Path file, String message) {
        return SafetensorsFile.error(file, ErrorCode.IMPORT_WEIGHTS_MAPPING, message);
    }

    private static String list(List<String> items) {
        List<String> shown = items.size() <= LISTED ? items : items.subList(0, LISTED);
        return String.join(", ", shown) + (items.size() > LISTED ? " and " + (items.size() - LISTED) + " more" : "");
    }

    /** One mapping run: the state of the three steps. */
    private static final class Run {
        private final SafetensorsFile file;
        private final Graph graph;
        private final Map<String, String> rules;
        private final Map<String, Param> params = new LinkedHashMap<>();
        /** Parameter key to the tensor that fills it, and how. */
        private final Map<String, Entry> filled = new HashMap<>();
        private final Map<String, String> how = new HashMap<>();
        private final Map<Entry, String> used = new HashMap<>();
        private final List<String> ignored = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        Run(SafetensorsFile file, Graph graph, Map<String, String> rules) {
            this.file = file;
            this.graph = graph;
            this.rules = rules;
            for (Node n : graph.nodes()) {
                for (ParamSpec spec : n.op().params(graph.inputShapes(n))) {
                    String key = n.paramKey(spec.name());
                    params.put(key, new Param(n.name(), spec.name(), key, spec.shape().dims()));
                }
            }
        }

        Result run() throws IOException {
            List<Entry> pending = new ArrayList<>();
            Map<String, Integer> ruleUses = new HashMap<>();
            for (Entry e : file.entries) {
                if (e.param().equals("num_batches_tracked")) {
                    ignored.add(Show.text(e.name()));
                    continue;
                }
                String prefix = longestRule(e.name());
                if (prefix == null) {
                    pending.add(e);
                    continue;
                }
                ruleUses.merge(prefix, 1, Integer::sum);
                String key = rules.get(prefix) + e.name().substring(prefix.length());
                Param p = params.get(key);
                if (p == null) {
                    problems.add("--map '" + Show.text(prefix) + "=" + rules.get(prefix) + "' maps tensor '"
                            + Show.text(e.name()) + "' to " + Show.text(key) + ", which model " + graph.name()
                            + " does not have");
                } else {
                    assign(e, p, "--map");
                }
            }
            for (String prefix : rules.keySet()) {
                if (!ruleUses.containsKey(prefix)) {
                    problems.add("--map '" + Show.text(prefix) + "=" + rules.get(prefix) + "': no tensor's name starts with '"
                            + Show.text(prefix) + ".'");
                }
            }
            List<Entry> left = new ArrayList<>();
            for (Entry e : pending) {
                Param p = params.get(e.name());
                if (p != null && !filled.containsKey(p.key())) {
                    assign(e, p, "name");
                } else {
                    left.add(e);
                }
            }
            byShape(left);
            return result();
        }

        private String longestRule(String name) {
            String best = null;
            for (String prefix : rules.keySet()) {
                if (name.startsWith(prefix + ".") && (best == null || prefix.length() > best.length())) {
                    best = prefix;
                }
            }
            return best;
        }

        private void assign(Entry e, Param p, String rule) {
            if (filled.containsKey(p.key())) {
                problems.add("tensors '" + Show.text(filled.get(p.key()).name()) + "' and '" + Show.text(e.name())
                        + "' both map to " + p.key());
            } else if (!Arrays.equals(toLongs(p.shape()), e.shape())) {
                problems.add("tensor '" + Show.text(e.name()) + "' " + e.shapeString() + " maps (by " + rule + ") to "
                        + p.key() + ", which needs " + p.shapeString());
            }
            filled.putIfAbsent(p.key(), e);
            how.putIfAbsent(p.key(), rule);
            used.put(e, p.key());
        }

        /**
         * Maps what is left module by module: a module (the tensors' common prefix) none of whose
         * tensors is mapped yet goes to the layer none of whose parameters is filled yet and whose
         * parameters have the same names and shapes, when that signature belongs to exactly one
         * such module and one such layer.
         */
        private void byShape(List<Entry> left) {
            Set<String> partModules = new HashSet<>();
            used.keySet().forEach(e -> partModules.add(e.module()));
            Map<String, List<Entry>> modules = new LinkedHashMap<>();
            for (Entry e : left) {
                if (!partModules.contains(e.module())) {
                    modules.computeIfAbsent(e.module(), k -> new ArrayList<>()).add(e);
                }
            }
            Set<String> partLayers = new HashSet<>();
            filled.keySet().forEach(k -> partLayers.add(params.get(k).layer()));
            Map<String, Map<String, Param>> layers = new LinkedHashMap<>();
            for (Param p : params.values()) {
                if (!partLayers.contains(p.layer())) {
                    layers.computeIfAbsent(p.layer(), k -> new TreeMap<>()).put(p.param(), p);
                }
            }
            Map<String, List<String>> moduleBySignature = new HashMap<>();
            for (Map.Entry<String, List<Entry>> m : modules.entrySet()) {
                TreeMap<String, String> sig = new TreeMap<>();
                m.getValue().forEach(e -> sig.put(e.param(), e.shapeString()));
                moduleBySignature.computeIfAbsent(sig.toString(), k -> new ArrayList<>()).add(m.getKey());
            }
            Map<String, List<String>> layerBySignature = new HashMap<>();
            for (Map.Entry<String, Map<String, Param>> l : layers.entrySet()) {
                TreeMap<String, String> sig = new TreeMap<>();
                l.getValue().values().forEach(p -> sig.put(p.param(), p.shapeString()));
                layerBySignature.computeIfAbsent(sig.toString(), k -> new ArrayList<>()).add(l.getKey());
            }
            for (Map.Entry<String, List<String>> s : moduleBySignature.entrySet()) {
                List<String> layerNames = layerBySignature.get(s.getKey());
                if (s.getValue().size() == 1 && layerNames != null && layerNames.size() == 1) {
                    Map<String, Param> layer = layers.get(layerNames.get(0));
                    for (Entry e : modules.get(s.getValue().get(0))) {
                        assign(e, layer.get(e.param()), "shape");
                    }
                }
            }
        }

        private Result result() throws IOException {
            List<String> unused = new ArrayList<>();
            for (Entry e : file.entries) {
                if (!used.containsKey(e) && !e.param().equals("num_batches_tracked")) {
                    unused.add(Show.text(e.name()) + " " + e.shapeString());
                }
            }
            List<String> missing = new ArrayList<>();
            for (Param p : params.values()) {
                if (!filled.containsKey(p.key())) {
                    missing.add(p.key() + " " + p.shapeString());
                }
            }
            if (!unused.isEmpty() || !missing.isEmpty()) {
                problems.add("the state_dict does not map onto model " + graph.name() + ". Tensors of the file left "
                        + "unmapped: " + (unused.isEmpty() ? "none" : list(unused)) + ". Parameters of the model with "
                        + "no tensor: " + (missing.isEmpty() ? "none" : list(missing)) + ". Tensors map by equal name, "
                        + "then a whole module to the one whole layer whose parameters have the same names and shapes "
                        + "(never between several alike); name the rest with --map 'PYTORCH_PREFIX=LAYER'");
            }
            if (!problems.isEmpty()) {
                throw new CompileException(problems.stream().map(m -> Diagnostic.error(ErrorCode.IMPORT_WEIGHTS_MAPPING,
                        new SourcePos(file.path.toString(), 0, 0), m)).toList());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            List<Mapping> mappings = new ArrayList<>();
            for (Param p : params.values()) {
                Entry e = filled.get(p.key());
                tensors.put(p.key(), new Tensor(p.key(), p.shape(), file.floats(e)));
                mappings.add(new Mapping(Show.text(e.name()), p.key(), how.get(p.key())));
            }
            WeightSet weights = new WeightSet(graph.name(), tensors);
            Diagnostics diagnostics = new Diagnostics();
            BindWeights.run(graph, weights, new SourcePos(file.path.toString(), 0, 0), diagnostics);
            if (diagnostics.hasErrors()) {
                throw new CompileException(diagnostics.sorted().stream().filter(Diagnostic::isError).map(d ->
                        Diagnostic.error(d.code(), new SourcePos(file.path.toString(), 0, 0), d.message())).toList());
            }
            return new Result(weights, mappings, ignored);
        }

        private static long[] toLongs(int[] shape) {
            return Arrays.stream(shape).asLongStream().toArray();
        }
    }
}
