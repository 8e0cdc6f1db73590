package dev.striate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a {@link History} from the CSV log {@code striate train --log} writes, or from its JSON-lines
 * twin ({@code .jsonl}). Columns are found by name ({@code epoch}, {@code train_loss}, {@code train_acc},
 * optional {@code val_loss}, {@code val_acc}); other columns are ignored, test-set ones included. Every
 * problem is a positioned error (E710-E712); nothing is guessed.
 */
public final class HistoryReader {
    /** The largest history file read. */
    public static final long MAX_BYTES = 16L << 20;
    /** The most epochs read. */
    public static final int MAX_EPOCHS = 100_000;

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final List<String> COLUMNS = List.of("epoch", "train_loss", "train_acc", "val_loss", "val_acc");
    private static final int REQUIRED = 3;

    private HistoryReader() {
    }

    /** Reads {@code file}: JSON lines when its name ends in {@code .jsonl}, CSV otherwise. */
    public static History read(Path file) {
        String name = file.toString();
        String text = text(file);
        List<double[]> rows = name.endsWith(".jsonl") ? jsonLines(name, text) : csv(name, text);
        if (rows.isEmpty() || rows.size() > MAX_EPOCHS) {
            throw error(ErrorCode.HISTORY_EMPTY, name, 0, 0, rows.isEmpty() ? "the history holds no epoch"
                    : "the history holds more than " + MAX_EPOCHS + " epochs");
        }
        List<History.Epoch> epochs = new ArrayList<>();
        for (double[] r : rows) {
            epochs.add(new History.Epoch((int) r[0], r[1], r[2], r[3], r[4]));
        }
        return new History(name, epochs);
    }

    private static String text(Path file) {
        String name = file.toString();
        try {
            if (!Files.isRegularFile(file)) {
                throw error(ErrorCode.HISTORY_UNREADABLE, name, 0, 0, Files.exists(file) ? "not a regular file"
                        : "no such file (striate train --log FILE.csv writes one)");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw error(ErrorCode.HISTORY_UNREADABLE, name, 0, 0, "over " + MAX_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(ErrorCode.HISTORY_UNREADABLE, name, 0, 0, "not UTF-8 text");
        } catch (IOException e) {
            throw error(ErrorCode.HISTORY_UNREADABLE, name, 0, 0, "cannot read: " + e.getMessage());
        }
    }

    private static List<double[]> csv(String name, String text) {
        String[] lines = text.split("\r?\n", -1);
        String[] header = lines[0].split(",", -1);
        int[] at = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            at[c] = Arrays.asList(header).indexOf(COLUMNS.get(c));
            if (at[c] < 0 && c < REQUIRED) {
                throw error(ErrorCode.HISTORY_MALFORMED, name, 1, 1, "the header has no '" + COLUMNS.get(c)
                        + "' column (expected the CSV striate train --log writes)");
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty() && i == lines.length - 1) {
                break;
            }
            String[] fields = lines[i].split(",", -1);
            if (fields.length != header.length) {
                throw error(ErrorCode.HISTORY_MALFORMED, name, i + 1, 1, "the row has " + fields.length
                        + " fields, the header " + header.length);
            }
            double[] row = new double[COLUMNS.size()];
            for (int c = 0; c < COLUMNS.size(); c++) {
                row[c] = at[c] < 0 ? Double.NaN : number(fields[at[c]], name, i + 1, column(fields, at[c]), c);
            }
            add(rows, row, name, i + 1);
        }
        return rows;
    }

    private static int column(String[] fields, int index) {
        int col = 1;
        for (int f = 0; f < index; f++) {
            col += fields[f].length() + 1;
        }
        return col;
    }

    private static double number(String field, String name, int line, int col, int column) {
        if (field.isEmpty() && column > 0) {
            return Double.NaN;
        }
        if (!NUMBER.matcher(field).matches() || field.length() > 40) {
            throw error(ErrorCode.HISTORY_MALFORMED, name, line, col, COLUMNS.get(column) + ": '"
                    + Diagnostic.clip(field) + "' is not a finite number");
        }
        return Double.parseDouble(field);
    }

    private static List<double[]> jsonLines(String name, String text) {
        ObjectMapper json = new ObjectMapper();
        List<double[]> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw error(ErrorCode.HISTORY_MALFORMED, name, i + 1, 1, "not a JSON object");
            }
            if (node == null || !node.isObject()) {
                throw error(ErrorCode.HISTORY_MALFORMED, name, i + 1, 1, "not a JSON object");
            }
            double[] row = new double[COLUMNS.size()];
            for (int c = 0; c < COLUMNS.size(); c++) {
                JsonNode v = node.get(COLUMNS.get(c));
                if (v == null && c < REQUIRED) {
                    throw error(ErrorCode.HISTORY_MALFORMED, name, i + 1, 1, "no '" + COLUMNS.get(c) + "' key");
                }
                if (v == null || v.isNull() && c > 0) {
                    row[c] = Double.NaN;
                } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                    row[c] = v.doubleValue();
                } else {
                    throw error(ErrorCode.HISTORY_MALFORMED, name, i + 1, 1, COLUMNS.get(c)
                            + " is not a finite number");
                }
            }
            add(rows, row, name, i + 1);
        }
        return rows;
    }

    private static void add(List<double[]> rows, double[] row, String name, int line) {
        double epoch = row[0];
        if (epoch != Math.rint(epoch) || epoch < 0 || epoch > Integer.MAX_VALUE) {
            throw error(ErrorCode.HISTORY_MALFORMED, name, line, 1, "epoch " + epoch + " is not a whole number >= 0");
        }
        if (!rows.isEmpty() && epoch <= rows.get(rows.size() - 1)[0]) {
            throw error(ErrorCode.HISTORY_MALFORMED, name, line, 1, "epoch " + (long) epoch
                    + " does not follow epoch " + (long) rows.get(rows.size() - 1)[0]);
        }
        if (rows.size() == MAX_EPOCHS) {
            throw error(ErrorCode.HISTORY_EMPTY, name, line, 1, "the history holds more than " + MAX_EPOCHS + " epochs");
        }
        rows.add(row);
    }

    private static CompileException error(ErrorCode code, String file, int line, int col, String message) {
        return new CompileException(Diagnostic.error(code, new SourcePos(file, line, col), message));
    }
}
