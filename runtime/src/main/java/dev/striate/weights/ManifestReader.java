package dev.striate.weights;

import static dev.striate.weights.WeightsException.Kind.BAD_PATH;
import static dev.striate.weights.WeightsException.Kind.CORRUPT;
import static dev.striate.weights.WeightsException.Kind.MALFORMED;
import static dev.striate.weights.WeightsException.Kind.NON_FINITE;
import static dev.striate.weights.WeightsException.Kind.TOO_LARGE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.striate.data.Normalization;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a manifest and its blob. Checks, in order: the manifest is a regular file
 * within the size limit, JSON syntax, format and version, each tensor's fields, dtype and shape
 * against its length or inline values; then the {@code data} field (a regular file inside the
 * manifest's folder), every blob range against the blob's size (truncation), the total against
 * the ceiling; then, tensor by tensor, the SHA-256 of its range (corruption) and that every value
 * is finite. Nothing is allocated for a tensor before its range is known to lie in the file, and
 * the blob is read range by range (positional reads), never whole. The first problem found is
 * thrown as a {@link WeightsException}.
 */
final class ManifestReader {
    /** Deepest JSON nesting accepted; a manifest needs 4 levels (root, tensors, entry, shape). */
    static final int MAX_NESTING = 100;
    /** Longest JSON number accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Most labels a manifest may list (a model's output has one per class). */
    static final int MAX_LABELS = 1_000_000;
    /** Most channels a recorded normalization may have. */
    static final int MAX_CHANNELS = 4096;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Path manifest;
    private final WeightsFile.ReadLimits limits;
    /** The {@code data} field as written, for messages. */
    private String dataName;

    private ManifestReader(Path manifest, WeightsFile.ReadLimits limits) {
        this.manifest = manifest;
        this.limits = limits;
    }

    static WeightSet read(Path manifest, WeightsFile.ReadLimits limits) throws IOException {
        return new ManifestReader(manifest, limits).read();
    }

    /** The blob a manifest names, if the manifest is readable and its {@code data} field obeys every rule. */
    static Path dataFile(Path manifest, WeightsFile.ReadLimits limits) throws IOException {
        ManifestReader r = new ManifestReader(manifest, limits);
        JsonNode data = r.parse(r.readManifest()).get("data");
        if (data == null || !data.isTextual() || data.asText().isEmpty()) {
            return null;
        }
        r.dataName = data.asText();
        return r.resolveData(null);
    }

    private WeightSet read() throws IOException {
        JsonNode root = parse(readManifest());
        String format = requireString(root, "format", null);
        if (!format.equals(WeightsFile.FORMAT)) {
            throw malformed(null, "unknown format \"" + Show.text(format) + "\" (expected \"" + WeightsFile.FORMAT
                    + "\")");
        }
        JsonNode version = require(root, "version", null);
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() != WeightsFile.VERSION) {
            throw malformed(null, "unsupported version " + Show.json(version) + " (this Striate reads version "
                    + WeightsFile.VERSION + ")");
        }
        String model = requireString(root, "model", null);
        List<String> labels = labels(root);
        Normalization normalization = normalization(root);
        JsonNode list = require(root, "tensors", null);
        if (!list.isArray()) {
            throw malformed(null, "\"tensors\" must be an array");
        }
        List<TensorEntry> entries = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            TensorEntry e = TensorEntry.parse(list.get(i), i);
            if (seen.put(e.name(), Boolean.TRUE) != null) {
                throw malformed(e.name(), Show.text(e.name()) + ": the manifest lists this tensor twice");
            }
            entries.add(e);
        }
        List<Tensor> tensors = new ArrayList<>();
        TensorEntry first = entries.stream().filter(e -> !e.isInline()).findFirst().orElse(null);
        if (first == null) {
            checkTotal(entries);
            for (TensorEntry e : entries) {
                tensors.add(finite(e, e.values()));
            }
            return WeightSet.of(model, tensors).withLabels(labels).withNormalization(normalization);
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull() || data.isTextual() && data.asText().isEmpty()) {
            throw malformed(first.name(), Show.text(first.name())
                    + ": stored in a data file, but the manifest has no \"data\" field");
        }
        if (!data.isTextual()) {
            throw new WeightsException(BAD_PATH, null, "\"data\" must be a string naming the data file, got "
                    + Show.json(data));
        }
        dataName = data.asText();
        Path blob = resolveData(first);
        try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            for (TensorEntry e : entries) {
                if (!e.isInline() && e.end() > size) {
                    throw truncated(e, size);
                }
            }
            checkTotal(entries);
            for (TensorEntry e : entries) {
                tensors.add(e.isInline() ? finite(e, e.values()) : load(e, channel, size));
            }
        }
        return WeightSet.of(model, tensors).withLabels(labels).withNormalization(normalization);
    }

    /**
     * The optional {@code normalize}: {@code {"mean": [...], "std": [...]}}, as many means as
     * standard deviations (one, or one per channel, at most {@value #MAX_CHANNELS}), finite, the
     * standard deviations positive.
     */
    private static Normalization normalization(JsonNode root) {
        JsonNode node = root.get("normalize");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw malformed(null, "\"normalize\" must be an object with \"mean\" and \"std\", got " + Show.json(node));
        }
        double[] mean = numbers(node, "mean");
        double[] std = numbers(node, "std");
        if (mean.length != std.length) {
            throw malformed(null, "\"normalize\" has " + mean.length + " means but " + std.length
                    + " standard deviations");
        }
        try {
            return Normalization.of(mean, std);
        } catch (IllegalArgumentException e) {
            throw malformed(null, "\"normalize\": " + e.getMessage());
        }
    }

    private static double[] numbers(JsonNode normalize, String field) {
        JsonNode list = normalize.get(field);
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CHANNELS) {
            throw malformed(null, "\"normalize\" needs \"" + field + "\": an array of 1 to " + MAX_CHANNELS
                    + " numbers, got " + (list == null ? "none" : Show.json(list)));
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!list.get(i).isNumber()) {
                throw malformed(null, "\"normalize\" \"" + field + "\" #" + i + " must be a number, got "
                        + Show.json(list.get(i)));
            }
            out[i] = list.get(i).asDouble();
        }
        return out;
    }

    /**
     * The optional {@code labels}: an array of distinct, non-empty strings (at most
     * {@value #MAX_LABELS}). Whether they are printable text that fits the model is checked where
     * they are bound to a model.
     */
    private static List<String> labels(JsonNode root) {
        JsonNode node = root.get("labels");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw malformed(null, "\"labels\" must be a non-empty array of strings, got " + Show.json(node));
        }
        if (node.size() > MAX_LABELS) {
            throw malformed(null, "\"labels\" lists " + node.size() + " labels; at most " + MAX_LABELS
                    + " are read");
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw malformed(null, "label #" + i + " must be a non-empty string, got " + Show.json(v));
            }
            if (!seen.add(v.asText())) {
                throw malformed(null, "label \"" + Show.text(v.asText()) + "\" is listed twice");
            }
            out.add(v.asText());
        }
        return out;
    }

    /** The manifest's bytes, refusing anything but a regular file within the size limit. */
    private byte[] readManifest() throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(manifest, BasicFileAttributes.class);
        if (attrs.isDirectory()) {
            throw new WeightsException(BAD_PATH, null, "the manifest is a directory; give the path of a "
                    + "weights manifest file (model.weights.json)");
        }
        if (!attrs.isRegularFile()) {
            throw new WeightsException(BAD_PATH, null, "the manifest is not a regular file (a device, pipe or "
                    + "socket); give the path of a weights manifest file");
        }
        long max = limits.maxManifestBytes();
        if (attrs.size() > max) {
            throw manifestTooLarge(attrs.size());
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(manifest)) {
            bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        }
        if (bytes.length > max) { // grew while we read it
            throw manifestTooLarge(bytes.length);
        }
        return bytes;
    }

    private WeightsException manifestTooLarge(long size) {
        return new WeightsException(TOO_LARGE, null, "the manifest is " + size + " bytes, more than the limit of "
                + limits.maxManifestBytes() + " bytes for a manifest (" + limits.rule() + ")");
    }

    private JsonNode parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            int column = e.getLocation() == null || line == 0 ? 0 : Math.max(0, e.getLocation().getColumnNr());
            String where = line == 0 ? "" : " (line " + line + ", column " + column + ")";
            throw new WeightsException(MALFORMED, null, "the manifest is not valid JSON" + where + ": "
                    + jsonProblem(e), line, column);
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

    private static final Pattern LIMIT = Pattern.compile("\\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
    /** A parenthesis (one level of nesting inside) that names a Jackson setting or type. */
    private static final Pattern INTERNAL_REMARK = Pattern.compile(
            "\\s*\\((?:[^()]|\\([^()]*\\))*?(?:`|Feature|feature)(?:[^()]|\\([^()]*\\))*\\)");

    private static final Pattern EXPECTED_VALUE = Pattern.compile(
            "(?:a valid value )?\\(JSON String, Number \\(or [^)]*\\), Array, Object or token 'null', 'true' or 'false'\\)");
    private static final Pattern SOURCE = Pattern.compile(
            "\\[Source: [^\\]]*?; line: (\\d+)(?:, column: (\\d+))?\\]");
    private static final Pattern TOKEN = Pattern.compile(
            "\\b(?:VALUE_STRING|VALUE_NUMBER_INT|VALUE_NUMBER_FLOAT|VALUE_TRUE|VALUE_FALSE|VALUE_NULL|VALUE_EMBEDDED_OBJECT"
                    + "|FIELD_NAME|START_OBJECT|END_OBJECT|START_ARRAY|END_ARRAY|NOT_AVAILABLE)\\b");
    private static final Map<String, String> TOKEN_WORDS = Map.ofEntries(
            Map.entry("VALUE_STRING", "a string"), Map.entry("VALUE_NUMBER_INT", "a number"),
            Map.entry("VALUE_NUMBER_FLOAT", "a number"), Map.entry("VALUE_TRUE", "true"),
            Map.entry("VALUE_FALSE", "false"), Map.entry("VALUE_NULL", "null"), Map.entry("FIELD_NAME", "a field name"),
            Map.entry("START_OBJECT", "an object"), Map.entry("END_OBJECT", "'}'"), Map.entry("START_ARRAY", "an array"),
            Map.entry("END_ARRAY", "']'"));

    /**
     * Jackson's complaint in our words: its setting, feature and class names (which a user cannot
     * change and should not see) are removed, and the limits are described by what they limit.
     */
    static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        if (e instanceof StreamConstraintsException) {
            Matcher m = LIMIT.matcher(message);
            boolean known = m.find();
            String found = known ? m.group(1) : null;
            String limit = known ? m.group(2) : "?";
            if (message.startsWith("Document nesting depth")) {
                return "nested more than " + MAX_NESTING + " levels deep (a manifest needs 4)";
            }
            if (message.startsWith("Number value length")) {
                return "a number " + (found == null ? "" : found + " characters ") + "long; numbers may have at most "
                        + MAX_NUMBER_LENGTH + " characters";
            }
            if (message.startsWith("String value length") || message.startsWith("Name length")) {
                return "a string " + (found == null ? "" : found + " characters ") + "long; strings may have at most "
                        + limit + " characters";
            }
            return "the manifest exceeds a limit of the JSON reader";
        }
        if (message.startsWith("Trailing token") || message.contains("for root starting at")) {
            return "more content after the end of the top-level JSON object";
        }
        if (message.contains("comment")) {
            return "comments are not allowed in JSON";
        }
        String clean = INTERNAL_REMARK.matcher(message).replaceAll("");
        clean = EXPECTED_VALUE.matcher(clean).replaceAll("a JSON value (string, number, array, object, true, false or null)");
        Matcher source = SOURCE.matcher(clean);
        StringBuilder at = new StringBuilder();
        while (source.find()) {
            source.appendReplacement(at, "line " + source.group(1)
                    + (source.group(2) == null ? "" : ", column " + source.group(2)));
        }
        clean = source.appendTail(at).toString();
        Matcher token = TOKEN.matcher(clean);
        StringBuilder words = new StringBuilder();
        while (token.find()) {
            token.appendReplacement(words, TOKEN_WORDS.getOrDefault(token.group(), "a JSON token"));
        }
        clean = token.appendTail(words).toString();
        int internal = firstIndexOf(clean, "`", "Feature", "feature", "com.fasterxml", "enable ");
        if (internal >= 0) {
            int cut = clean.lastIndexOf(':', internal);
            clean = cut > 0 ? clean.substring(0, cut) : "unexpected input";
        }
        return Show.text(clean.strip(), 300);
    }

    private static int firstIndexOf(String s, String... needles) {
        int best = -1;
        for (String n : needles) {
            int i = s.indexOf(n);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The blob's real path: {@code data} must be a relative path that stays inside the manifest's
     * folder once symbolic links are resolved, and name a regular file.
     *
     * @param first the first blob tensor (named by the "not found" error), or null
     */
    private Path resolveData(TensorEntry first) throws IOException {
        String field = "\"data\" \"" + Show.text(dataName) + "\"";
        String rule = "; the data file must be a regular file inside the manifest's folder, named relative to it";
        Path relative;
        try {
            relative = Path.of(dataName);
        } catch (InvalidPathException e) {
            throw new WeightsException(BAD_PATH, null, field + " is not a valid file name" + rule);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new WeightsException(BAD_PATH, null, field + " is an absolute path" + rule);
        }
        Path dir = manifest.toAbsolutePath().getParent();
        Path lexical = dir.resolve(relative).normalize();
        if (!lexical.startsWith(dir.normalize())) {
            throw new WeightsException(BAD_PATH, null, field + " leaves the manifest's folder" + rule);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            String tensor = first == null ? null : first.name();
            throw new WeightsException(CORRUPT, tensor, (first == null ? "" : Show.text(tensor) + ": ") + "data file "
                    + Show.text(dataName) + " not found");
        }
        if (!real.startsWith(dir.toRealPath())) {
            throw new WeightsException(BAD_PATH, null, field + " is a link to " + Show.text(real.toString())
                    + ", outside the manifest's folder" + rule);
        }
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isDirectory()) {
            throw new WeightsException(BAD_PATH, null, field + " is a directory" + rule);
        }
        if (!attrs.isRegularFile()) {
            throw new WeightsException(BAD_PATH, null, field + " is not a regular file (a device, pipe or socket)"
                    + rule);
        }
        return real;
    }

    private WeightsException truncated(TensorEntry e, long size) {
        return new WeightsException(CORRUPT, e.name(), Show.text(e.name()) + ": bytes " + e.offset() + ".." + e.end()
                + " lie past the end of " + Show.text(dataName) + " (" + size + " bytes); the file is truncated");
    }

    /** Refuses tensors whose values take more bytes in all than the ceiling, before reading any. */
    private void checkTotal(List<TensorEntry> entries) {
        long total = 0;
        for (TensorEntry e : entries) {
            total = Math.addExact(total, e.bytes()); // each at most 2^31, and fewer than 2^31 entries
        }
        if (total > limits.maxTensorBytes()) {
            throw new WeightsException(TOO_LARGE, null, "the tensors take " + total + " bytes as float32, more than "
                    + "the limit of " + limits.maxTensorBytes() + " bytes (" + limits.rule() + ")");
        }
    }

    private Tensor load(TensorEntry e, FileChannel channel, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(e.length());
        long position = e.offset();
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position);
            if (n < 0) { // the file shrank since it was sized
                throw truncated(e, channel.size());
            }
            position += n;
        }
        byte[] bytes = buf.array();
        String actual = Float32.sha256(bytes, 0, bytes.length);
        if (!actual.equals(e.sha256())) {
            throw new WeightsException(CORRUPT, e.name(), Show.text(e.name()) + ": checksum mismatch for bytes "
                    + e.offset() + ".." + e.end() + " of " + Show.text(dataName) + " (expected sha256 " + e.sha256()
                    + ", found " + actual + "); the file is corrupted");
        }
        return finite(e, Float32.decode(bytes, 0, bytes.length / Float.BYTES));
    }

    private static Tensor finite(TensorEntry e, float[] values) {
        int bad = Float32.firstNonFinite(values);
        if (bad >= 0) {
            throw new WeightsException(NON_FINITE, e.name(),
                    Float32.nonFiniteMessage(Show.text(e.name()), e.shape(), values, bad));
        }
        return new Tensor(e.name(), e.shape(), values);
    }

    static JsonNode require(JsonNode object, String field, String tensor) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw malformed(tensor, (tensor == null ? "" : Show.text(tensor) + ": ") + "missing field \"" + field + "\"");
        }
        return v;
    }

    static String requireString(JsonNode object, String field, String tensor) {
        JsonNode v = require(object, field, tensor);
        if (!v.isTextual()) {
            throw malformed(tensor, (tensor == null ? "" : Show.text(tensor) + ": ") + "\"" + field
                    + "\" must be a string, got " + Show.json(v));
        }
        return v.asText();
    }

    static WeightsException malformed(String tensor, String message) {
        return new WeightsException(MALFORMED, tensor, message);
    }
}
