package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.striate.diag.ErrorCode;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class labels {@code striate export --onnx} writes into the model's metadata
 * ({@code striate.labels}: a JSON array of strings), read back by the import. The entry is hostile
 * input: at most {@value #MAX_CHARS} characters of JSON and {@value #MAX_LABELS} labels, each label
 * checked like a label in a {@code .cnn} file ({@link NameRules#textProblem}), their count equal to
 * the size of the model's flat output; anything else is E615, naming the entry.
 */
final class OnnxLabels {
    /** The most labels read (a classifier's output size; ImageNet-21k has 21,841). */
    static final int MAX_LABELS = 100_000;
    /** The longest {@code striate.labels} value read. */
    static final int MAX_CHARS = 8 << 20;
    private static final JsonMapper JSON = new JsonMapper();

    private OnnxLabels() {
    }

    /** The labels in {@code model}'s metadata, an empty list when it has none. */
    static List<String> read(Path file, ModelProto model, int[] outputShape) {
        StringStringEntryProto entry = null;
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            if (e.getKey().equals(OnnxExport.LABELS_KEY)) {
                if (entry != null) {
                    throw bad(file, "appears twice");
                }
                entry = e;
            }
        }
        if (entry == null) {
            return List.of();
        }
        String text = entry.getValue();
        if (text.length() > MAX_CHARS) {
            throw bad(file, "has " + text.length() + " characters, over the " + MAX_CHARS + "-character limit");
        }
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(file, "is not valid JSON: " + Show.text(e.getOriginalMessage()));
        }
        if (array == null || !array.isArray()) {
            throw bad(file, "is not a JSON array of strings");
        }
        if (array.size() > MAX_LABELS) {
            throw bad(file, "holds " + array.size() + " labels, over the limit of " + MAX_LABELS);
        }
        List<String> labels = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                throw bad(file, "item " + (labels.size() + 1) + " is not a string");
            }
            String problem = NameRules.textProblem(n.asText(), "label " + (labels.size() + 1));
            if (problem != null) {
                throw bad(file, problem);
            }
            labels.add(n.asText());
        }
        if (labels.isEmpty()) {
            throw bad(file, "is an empty list");
        }
        if (outputShape.length != 1 || outputShape[0] != labels.size()) {
            throw bad(file, "holds " + labels.size() + " labels for an output of shape "
                    + CnnWriter.dims(outputShape) + "; labels need a flat output of that many scores");
        }
        return labels;
    }

    /** The {@code labels [...]} statement, each label a {@code .cnn} string ({@code \"} and {@code \\} escaped). */
    static String statement(List<String> labels) {
        StringBuilder sb = new StringBuilder("labels [");
        for (int i = 0; i < labels.size(); i++) {
            String s = labels.get(i).replace("\\", "\\\\").replace("\"", "\\\"");
            sb.append(i == 0 ? "" : ", ").append('"').append(s).append('"');
        }
        return sb.append(']').toString();
    }

    private static RuntimeException bad(Path file, String why) {
        return ImportError.at(file, ErrorCode.IMPORT_LABELS, "the metadata entry '" + OnnxExport.LABELS_KEY + "' "
                + why);
    }
}
