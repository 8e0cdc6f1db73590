package dev.striate.weights;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Turns a {@link WeightSet} into the bytes of a manifest and its blob. Pure: the same tensors
 * and options always give byte-identical output (fixed key order, tensors in set order, blob
 * ranges packed in that order from offset 0).
 */
final class ManifestWriter {
    /** The manifest and blob bytes; {@code blob} is null when every tensor is inline. */
    record Output(byte[] manifest, byte[] blob) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private ManifestWriter() {
    }

    static Output render(WeightSet weights, String dataFileName, WriteOptions options) {
        if (weights.modelName() == null || weights.modelName().isEmpty()) {
            throw new IllegalArgumentException("a weights file needs a model name");
        }
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(manifest, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new ManifestPrettyPrinter());
            boolean anyBlob = weights.tensors().values().stream().anyMatch(t -> !options.inline(t));
            g.writeStartObject();
            g.writeStringField("format", WeightsFile.FORMAT);
            g.writeNumberField("version", WeightsFile.VERSION);
            g.writeStringField("model", weights.modelName());
            if (anyBlob) {
                g.writeStringField("data", dataFileName);
            }
            if (!weights.labels().isEmpty()) {
                g.writeArrayFieldStart("labels");
                for (String label : weights.labels()) {
                    g.writeString(label);
                }
                g.writeEndArray();
            }
            if (weights.normalization() != null) {
                g.writeObjectFieldStart("normalize");
                writeFloats(g, "mean", weights.normalization().mean());
                writeFloats(g, "std", weights.normalization().std());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("tensors");
            for (Tensor t : weights.tensors().values()) {
                writeTensor(g, t, options.inline(t), blob);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            manifest.write('\n');
            return new Output(manifest.toByteArray(), anyBlob ? blob.toByteArray() : null);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static void writeFloats(JsonGenerator g, String field, float[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (float v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeTensor(JsonGenerator g, Tensor t, boolean inline, ByteArrayOutputStream blob)
            throws IOException {
        int bad = Float32.firstNonFinite(t.data());
        if (bad >= 0) {
            throw new WeightsException(WeightsException.Kind.NON_FINITE, t.name(),
                    Float32.nonFiniteMessage(t.name(), t.shape(), t.data(), bad));
        }
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeFieldName("shape");
        int[] shape = t.shape();
        g.writeArray(shape, 0, shape.length);
        g.writeStringField("dtype", WeightsFile.DTYPE);
        if (inline) {
            g.writeArrayFieldStart("values");
            for (float v : t.data()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        } else {
            byte[] bytes = Float32.encode(t.data());
            g.writeNumberField("offset", blob.size());
            g.writeNumberField("length", bytes.length);
            g.writeStringField("sha256", Float32.sha256(bytes, 0, bytes.length));
            blob.write(bytes);
        }
        g.writeEndObject();
    }
}
