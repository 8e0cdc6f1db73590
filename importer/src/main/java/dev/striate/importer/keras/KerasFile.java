package dev.striate.importer.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.ImportError;
import dev.striate.weights.Show;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Keras model file, opened: the model's configuration (JSON) and its weights in HDF5 (read with
 * jHDF). Two layouts: Keras 3's {@code .keras} archive ({@link KerasArchive}; weights
 * {@code layers/<snake_case class>[_N]/vars/<i>}) and Keras 2's {@code .h5} ({@code model_config}
 * attribute; weights {@code model_weights/<layer>/} in the order of its {@code weight_names}).
 */
final class KerasFile implements AutoCloseable {
    /** The largest HDF5 file read (a legacy .h5 file; a .keras archive's weights have their own cap). */
    static final long MAX_H5 = 1L << 30;
    /** The largest attribute read (model_config, weight_names). */
    static final long MAX_ATTRIBUTE = 16L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** One weight: its path in the file (for messages), Keras shape and values. */
    record Array(String path, int[] shape, float[] data) {
    }

    final Path path;
    final boolean legacy;
    final JsonNode model;
    final String version;
    private final HdfFile h5;

    private KerasFile(Path path, boolean legacy, JsonNode model, String version, HdfFile h5) {
        this.path = path;
        this.legacy = legacy;
        this.model = model;
        this.version = version;
        this.h5 = h5;
    }

    static boolean isArchive(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".keras");
    }

    static KerasFile open(Path file) throws IOException {
        if (isArchive(file)) {
            KerasArchive zip = KerasArchive.read(file);
            JsonNode config = json(file, new String(zip.config, StandardCharsets.UTF_8), KerasArchive.CONFIG);
            String version = "3";
            if (zip.metadata != null) {
                JsonNode meta = json(file, new String(zip.metadata, StandardCharsets.UTF_8), KerasArchive.METADATA);
                version = meta.path("keras_version").asText("3");
            }
            return new KerasFile(file, false, config, version, hdf(file, () -> HdfFile.fromBytes(zip.weights)));
        }
        long size = Files.size(file);
        if (size > MAX_H5) {
            throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "the file has " + size + " bytes, over the "
                    + MAX_H5 + "-byte limit");
        }
        HdfFile h5 = hdf(file, () -> new HdfFile(file));
        try {
            Attribute config = h5.getAttribute("model_config");
            if (config == null) {
                throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "the HDF5 file has no 'model_config' attribute:"
                        + " it holds weights only (model.save_weights) or is not a Keras model; save the whole model "
                        + "with model.save(\"model.h5\") or model.save(\"model.keras\")");
            }
            JsonNode model = json(file, text(file, config), "model_config");
            Attribute v = h5.getAttribute("keras_version");
            return new KerasFile(file, true, model, v == null ? "2" : text(file, v), h5);
        } catch (RuntimeException e) {
            h5.close();
            throw e instanceof io.jhdf.exceptions.HdfException ? damaged(file, e) : e;
        }
    }

    private interface Opener {
        HdfFile open() throws IOException;
    }

    private static HdfFile hdf(Path file, Opener opener) throws IOException {
        try {
            return opener.open();
        } catch (RuntimeException e) {
            throw damaged(file, e);
        }
    }

    static RuntimeException damaged(Path file, Exception e) {
        return ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "the HDF5 weights cannot be read (truncated or "
                + "damaged?): " + shown(String.valueOf(e.getMessage())));
    }

    private static JsonNode json(Path file, String text, String what) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, what + " is not valid JSON: "
                    + shown(e.getOriginalMessage()));
        }
    }

    /** A string attribute (Keras writes them as fixed-length bytes), at most 16 MiB. */
    private static String text(Path file, Attribute a) {
        if (a.getSizeInBytes() > MAX_ATTRIBUTE) {
            throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "attribute '" + a.getName() + "' is over 16 MiB");
        }
        Object data = a.getData();
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] s && s.length == 1) {
            return s[0];
        }
        throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "attribute '" + a.getName() + "' is not a string");
    }

    /** A list-of-strings attribute, possibly split in chunks {@code name0}, {@code name1}... as Keras does when large. */
    private List<String> texts(Node node, String name) {
        List<String> out = new ArrayList<>();
        Attribute whole = node.getAttribute(name);
        if (whole != null) {
            addTexts(whole, out);
            return out;
        }
        for (int k = 0; node.getAttribute(name + k) != null && k < 10_000; k++) {
            addTexts(node.getAttribute(name + k), out);
        }
        return out;
    }

    private void addTexts(Attribute a, List<String> out) {
        if (a.getSizeInBytes() > MAX_ATTRIBUTE) {
            throw ImportError.at(path, ErrorCode.KERAS_UNREADABLE, "attribute '" + a.getName() + "' is over 16 MiB");
        }
        if (a.getSize() == 0 || a.isEmpty()) {
            return; // Keras writes an empty list as an empty float64 array
        }
        Object data = a.getData();
        if (data instanceof String s) {
            out.add(s);
        } else if (data instanceof String[] s) {
            out.addAll(Arrays.asList(s));
        } else {
            throw ImportError.at(path, ErrorCode.KERAS_UNREADABLE, "attribute '" + a.getName() + "' is not strings");
        }
    }

    /**
     * The variables of the layer named {@code layer} whose Keras 3 storage key is {@code key}
     * ({@code conv2d_1}), in Keras's order; an empty list for a layer stored without variables.
     */
    List<Array> vars(String layer, String key) {
        try {
            return legacy ? legacyVars(layer) : v3Vars(key);
        } catch (io.jhdf.exceptions.HdfException | IllegalArgumentException | IllegalStateException
                 | IndexOutOfBoundsException | UnsupportedOperationException | java.nio.BufferUnderflowException e) {
            throw damaged(path, e);
        }
    }

    /** The tf.keras 2.13-2.15 layout: layers under {@code _layer_checkpoint_dependencies/}, not {@code layers/}. */
    boolean checkpointLayout() {
        return !legacy && h5.getChild("layers") == null && h5.getChild(CHECKPOINT_ROOT) instanceof Group;
    }

    /** True when the layer stored under {@code key} has at least one variable. */
    boolean hasVars(String key) {
        Group g = varsGroup(key);
        return g != null && !g.getChildren().isEmpty();
    }

    private static final String CHECKPOINT_ROOT = "_layer_checkpoint_dependencies";

    private Group varsGroup(String key) {
        Node n = child(h5, (checkpointLayout() ? CHECKPOINT_ROOT : "layers") + "/" + key + "/vars");
        return n instanceof Group g ? g : null;
    }

    private List<Array> v3Vars(String key) {
        Group vars = varsGroup(key);
        List<Array> out = new ArrayList<>();
        if (vars == null) {
            return out;
        }
        for (int i = 0; vars.getChild(Integer.toString(i)) != null; i++) {
            out.add(array(vars.getChild(Integer.toString(i))));
        }
        if (out.size() != vars.getChildren().size()) {
            throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "'" + shown(vars.getPath()) + "' holds "
                    + vars.getChildren().size() + " entries, not the datasets 0.." + (out.size() - 1) + " Keras writes");
        }
        return out;
    }

    private List<Array> legacyVars(String layer) {
        Node weights = h5.getChild("model_weights");
        Group root = weights instanceof Group g ? g : h5; // model.save_weights files have the layers at the root
        Node group = root.getChild(layer);
        List<Array> out = new ArrayList<>();
        if (!(group instanceof Group g)) {
            return out;
        }
        for (String name : texts(g, "weight_names")) {
            Node n = child(g, name);
            if (n == null) {
                throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "layer '" + shown(layer) + "' lists weight '"
                        + shown(name) + "', which the file does not hold");
            }
            out.add(array(n));
        }
        return out;
    }

    /** The node at a relative path of plain names (never '..' or absolute), or null. */
    private static Node child(Group g, String relative) {
        Node n = g;
        for (String part : relative.split("/")) {
            if (!(n instanceof Group group) || part.isEmpty() || part.equals("..") || part.equals(".")) {
                return null;
            }
            n = group.getChild(part);
        }
        return n;
    }

    private Array array(Node n) {
        if (!(n instanceof Dataset ds)) {
            throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "'" + shown(n.getPath()) + "' is not a dataset");
        }
        int[] shape = ds.getDimensions();
        long size = 1;
        for (int d : shape) {
            size = d < 0 ? Long.MAX_VALUE : Math.multiplyHigh(size, d) != 0 ? Long.MAX_VALUE : size * d;
        }
        Class<?> type = ds.getJavaType();
        if (type != float.class && type != double.class) {
            throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "weight '" + shown(ds.getPath()) + "' is of type "
                    + type.getSimpleName() + "; Striate reads float32 and float64 weights");
        }
        if (size > (MAX_H5 / 4) || ds.getSize() != size) {
            throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "weight '" + shown(ds.getPath()) + "' has shape "
                    + Arrays.toString(shape) + ", too large or inconsistent");
        }
        Object flat = ds.isScalar() ? new float[] {((Number) ds.getData()).floatValue()} : ds.getDataFlat();
        float[] data;
        if (flat instanceof float[] f) {
            data = f;
        } else {
            double[] d = (double[]) flat;
            data = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                data[i] = (float) d[i];
            }
        }
        if (data.length != size) {
            throw ImportError.at(path, ErrorCode.KERAS_WEIGHTS, "weight '" + shown(ds.getPath()) + "' holds "
                    + data.length + " values for shape " + Arrays.toString(shape));
        }
        return new Array(ds.getPath(), shape, data);
    }

    /** A name from the file as shown in a message: cut to 80 characters, control characters escaped. */
    static String shown(String s) {
        return Show.text(s);
    }

    @Override
    public void close() {
        h5.close();
    }
}
