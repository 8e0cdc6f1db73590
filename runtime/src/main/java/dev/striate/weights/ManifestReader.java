package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.CORRUPT;
import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static dev.striate.weights.WeightsException.Kind.NON_FINITE;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a manifest and its blob. Checks, in order: JSON syntax, format and
 * version, each tensor's fields, dtype and shape against its length or inline values, then for
 * blob tensors the byte range (truncation) and the SHA-256 (corruption), and finally that every
 * value is finite. The first problem found is thrown as a {@link WeightsException}.
 */
final class ManifestReader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Path manifest;
    /** The {@code data} field as written, for messages. */
    private String dataName;

    private ManifestReader(Path manifest) {
        this.manifest = manifest;
    }

    static WeightSet read(Path manifest) throws IOException {
        return new ManifestReader(manifest).read();
    }

    private WeightSet read() throws IOException {
        JsonNode root = parse(Files.readAllBytes(manifest));
        String format = requireString(root, "format", null);
        if (!format.equals(WeightsFile.FORMAT)) {
            throw malformed(null, "unknown format \"" + format + "\" (expected \"" + WeightsFile.FORMAT + "\")");
        }
        JsonNode version = require(root, "version", null);
        if (!version.isIntegralNumber() || version.asLong() != WeightsFile.VERSION) {
            throw malformed(null, "unsupported version " + version + " (this Striate reads version "
                    + WeightsFile.VERSION + ")");
        }
        String model = requireString(root, "model", null);
        JsonNode list = require(root, "tensors", null);
        if (!list.isArray()) {
            throw malformed(null, "\"tensors\" must be an array");
        }
        List<TensorEntry> entries = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            TensorEntry e = TensorEntry.parse(list.get(i), i);
            if (seen.put(e.name(), Boolean.TRUE) != null) {
                throw malformed(e.name(), e.name() + ": the manifest lists this tensor twice");
            }
            entries.add(e);
        }
        byte[] blob = readBlob(root, entries);
        List<Tensor> tensors = new ArrayList<>();
        for (TensorEntry e : entries) {
            tensors.add(load(e, blob));
        }
        return WeightSet.of(model, tensors);
    }

    private static JsonNode parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String first = e.getOriginalMessage().lines().findFirst().orElse("");
            throw malformed(null, "the manifest is not valid JSON" + where + ": " + first);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16/32 from the first bytes (e.g. '{' then NULs) and fails on
            // what follows: not a bug, a manifest that is not UTF-8 (found by WeightsFuzzTest)
            throw malformed(null, "the manifest is not UTF-8 JSON text (its first bytes look like UTF-16"
                    + " or UTF-32, then comes an invalid character); save it as UTF-8");
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
        if (root == null || !root.isObject()) {
            throw malformed(null, "the manifest must be a JSON object");
        }
        return root;
    }

    /** The blob, or null when no tensor lives in it. */
    private byte[] readBlob(JsonNode root, List<TensorEntry> entries) throws IOException {
        TensorEntry first = entries.stream().filter(e -> !e.isInline()).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
            throw malformed(first.name(), first.name() + ": stored in a data file, but the manifest has no \"data\" field");
        }
        dataName = data.asText();
        Path file = manifest.resolveSibling(dataName);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WeightsException(CORRUPT, first.name(), first.name() + ": data file " + dataName
                    + " not found");
        }
    }

    private Tensor load(TensorEntry e, byte[] blob) {
        float[] values;
        if (e.isInline()) {
            values = e.values();
        } else {
            if (e.offset() > blob.length - e.length()) {
                throw new WeightsException(CORRUPT, e.name(), e.name() + ": bytes " + e.offset() + ".."
                        + (e.offset() + e.length()) + " lie past the end of " + dataName + " (" + blob.length
                        + " bytes); the file is truncated");
            }
            int off = (int) e.offset();
            int len = (int) e.length();
            String actual = Float32.sha256(blob, off, len);
            if (!actual.equals(e.sha256())) {
                throw new WeightsException(CORRUPT, e.name(), e.name() + ": checksum mismatch for bytes " + off + ".."
                        + (off + len) + " of " + dataName + " (expected sha256 "
                        + e.sha256() + ", found " + actual + "); the file is corrupted");
            }
            values = Float32.decode(blob, off, len / Float.BYTES);
        }
        int bad = Float32.firstNonFinite(values);
        if (bad >= 0) {
            throw new WeightsException(NON_FINITE, e.name(), Float32.nonFiniteMessage(e.name(), e.shape(), values, bad));
        }
        return new Tensor(e.name(), e.shape(), values);
    }

    static JsonNode require(JsonNode object, String field, String tensor) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw malformed(tensor, (tensor == null ? "" : tensor + ": ") + "missing field \"" + field + "\"");
        }
        return v;
    }

    static String requireString(JsonNode object, String field, String tensor) {
        JsonNode v = require(object, field, tensor);
        if (!v.isTextual()) {
            throw malformed(tensor, (tensor == null ? "" : tensor + ": ") + "\"" + field + "\" must be a string, got " + v);
        }
        return v.asText();
    }

    static WeightsException malformed(String tensor, String message) {
        return new WeightsException(MALFORMED, tensor, message);
    }
}
