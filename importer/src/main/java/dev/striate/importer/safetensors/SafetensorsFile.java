package dev.striate.importer.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.weights.Show;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, read directly and treated as hostile: 8 bytes little-endian header length,
 * a JSON header (per tensor {@code dtype}, {@code shape}, {@code data_offsets}; an optional
 * {@code __metadata__} of strings), then the tensors' bytes, little-endian. The header is checked
 * whole before any tensor is read: its length against the file and {@link #MAX_HEADER_BYTES},
 * every shape's element count (no overflow) against its byte range, and the ranges must tile the
 * data exactly (in range, no overlap, no gap), as the reference implementation requires. Tensor
 * data is then read range by range, only for the tensors asked for.
 */
final class SafetensorsFile {
    /**
     * The largest header read: 16 MiB (the reference implementation allows 100,000,000 bytes; a CNN's
     * header takes a few kilobytes, and the JSON tree of a header takes several times its size).
     */
    static final long MAX_HEADER_BYTES = 16L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8)
                            .maxNumberLength(40)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Element types and their byte widths, as safetensors names them. */
    private static final Map<String, Integer> WIDTHS = Map.ofEntries(Map.entry("F64", 8), Map.entry("F32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2),
            Map.entry("I8", 1), Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    /**
     * One tensor of the header.
     *
     * @param name its name as written (show it only through {@link Show#text})
     * @param dtype the safetensors element type ({@code F32}, {@code F16}, {@code BF16}, ...)
     * @param shape its dimensions ({@code []} for a scalar)
     * @param begin first byte, relative to the data section
     * @param end byte after the last
     */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {
        String shapeString() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) {
                sb.append(i > 0 ? ", " : "").append(shape[i]);
            }
            return sb.append(']').toString();
        }

        /** The PyTorch module: the name up to its last dot (empty for a name without one). */
        String module() {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? "" : name.substring(0, dot);
        }

        /** The parameter: the name after its last dot. */
        String param() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    final Path path;
    /** The tensors, in the header's order. */
    final List<Entry> entries;
    private final long dataStart;

    private SafetensorsFile(Path path, List<Entry> entries, long dataStart) {
        this.path = path;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    static CompileException error(Path file, ErrorCode code, String message) {
        return new CompileException(Diagnostic.error(code, new SourcePos(file.toString(), 0, 0), message));
    }

    private CompileException malformed(String message) {
        return error(path, ErrorCode.IMPORT_SAFETENSORS_MALFORMED, message);
    }

    /** Reads and checks the header of {@code path}; no tensor data is read. */
    static SafetensorsFile read(Path path) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw error(path, ErrorCode.IO, "is not a regular file (a folder, device, pipe or socket); give the "
                    + "path of a .safetensors file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            SafetensorsFile shell = new SafetensorsFile(path, List.of(), 0);
            if (size < 8) {
                throw shell.malformed("is not a safetensors file: " + size + " bytes, shorter than the 8-byte header "
                        + "length (truncated?)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            shell.readFully(ch, len, 0);
            long n = len.flip().getLong();
            if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
                throw shell.malformed("is not a safetensors file: its first 8 bytes give a header of "
                        + Long.toUnsignedString(n) + " bytes, but the file has " + (size - 8) + " bytes after them"
                        + " and a header may take at most " + MAX_HEADER_BYTES + " (truncated, or another format: "
                        + "a PyTorch .pt checkpoint is a zip, see 'striate import --help')");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            shell.readFully(ch, header, 8);
            List<Entry> entries = shell.parse(header.array(), size - 8 - n);
            return new SafetensorsFile(path, entries, 8 + n);
        }
    }

    private List<Entry> parse(byte[] header, long dataSize) {
        if (header[0] != '{') {
            throw malformed("is not a safetensors file: the header does not start with '{' (truncated, or another "
                    + "format)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(header);
        } catch (JsonProcessingException e) {
            throw malformed("the safetensors header is not valid JSON: " + Show.text(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw malformed("the safetensors header is not valid JSON: " + Show.text(String.valueOf(e.getMessage()), 200));
        }
        if (root == null || !root.isObject()) {
            throw malformed("the safetensors header must be a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                checkMetadata(field.getValue());
            } else {
                entries.add(entry(field.getKey(), field.getValue()));
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() != at) {
                throw malformed("tensor '" + Show.text(e.name()) + "' starts at byte " + e.begin() + " of the data, but "
                        + (previous == null ? "the data starts at 0" : "'" + Show.text(previous.name()) + "' ends at " + at)
                        + (e.begin() < at ? " (the tensors overlap)" : " (a gap)")
                        + "; the tensors must tile the data exactly");
            }
            at = e.end();
            previous = e;
        }
        if (at != dataSize) {
            throw malformed("the tensors take " + at + " bytes, but the file holds " + dataSize + " bytes of data after "
                    + "the header (" + (at > dataSize ? "truncated" : "trailing bytes") + ")");
        }
        return entries;
    }

    private void checkMetadata(JsonNode metadata) {
        if (!metadata.isObject()) {
            throw malformed("\"__metadata__\" must be an object of strings");
        }
        for (JsonNode v : metadata) {
            if (!v.isTextual()) {
                throw malformed("\"__metadata__\" must be an object of strings, got " + Show.text(v.toString()));
            }
        }
    }

    private Entry entry(String name, JsonNode t) {
        String shown = "tensor '" + Show.text(name) + "'";
        if (!t.isObject()) {
            throw malformed(shown + ": expected an object with dtype, shape and data_offsets");
        }
        JsonNode dtype = t.get("dtype");
        JsonNode shape = t.get("shape");
        JsonNode offsets = t.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw malformed(shown + ": expected \"dtype\" (a string), \"shape\" (an array) and \"data_offsets\" "
                    + "(two numbers)");
        }
        Integer width = WIDTHS.get(dtype.asText());
        if (width == null) {
            throw error(path, ErrorCode.IMPORT_SAFETENSORS_DTYPE, shown + " has the unknown dtype '"
                    + Show.text(dtype.asText()) + "'; Striate reads " + SUPPORTED);
        }
        long[] dims = new long[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw malformed(shown + ": \"shape\" must hold non-negative integers, got " + Show.text(shape.toString()));
            }
            dims[i] = d.asLong();
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException e) {
                throw malformed(shown + ": shape " + Show.text(shape.toString()) + " has more elements than a file holds");
            }
        }
        long[] range = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsets.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw malformed(shown + ": \"data_offsets\" must be two non-negative integers, got "
                        + Show.text(offsets.toString()));
            }
            range[i] = o.asLong();
        }
        if (range[1] < range[0]) {
            throw malformed(shown + ": \"data_offsets\" " + offsets + " end before they begin");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, (long) width);
        } catch (ArithmeticException e) {
            throw malformed(shown + ": shape " + Show.text(shape.toString()) + " has more bytes than a file holds");
        }
        if (bytes != range[1] - range[0]) {
            throw malformed(shown + ": shape " + Show.text(shape.toString()) + " of " + dtype.asText() + " needs " + bytes
                    + " bytes, but \"data_offsets\" " + offsets + " give " + (range[1] - range[0]));
        }
        return new Entry(name, dtype.asText(), dims, range[0], range[1]);
    }

    /** The element types Striate converts, for messages. */
    static final String SUPPORTED = "F32, and F16 and BF16 (converted to float32 exactly)";

    /** The tensor's values as float32: F32 as is, F16 and BF16 converted exactly; other types refused (E607). */
    float[] floats(Entry e) throws IOException {
        long count = (e.end() - e.begin()) / WIDTHS.get(e.dtype());
        if (!e.dtype().equals("F32") && !e.dtype().equals("F16") && !e.dtype().equals("BF16")) {
            throw error(path, ErrorCode.IMPORT_SAFETENSORS_DTYPE, "tensor '" + Show.text(e.name()) + "' is "
                    + e.dtype() + "; Striate reads " + SUPPORTED + " (convert with tensor.float() before saving)");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw malformed("tensor '" + Show.text(e.name()) + "' has " + count + " elements, more than Striate holds");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(ch, b, dataStart + e.begin());
        }
        b.flip();
        float[] v = new float[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (e.dtype()) {
                case "F32" -> b.getFloat();
                case "F16" -> Float16.toFloat(b.getShort());
                default -> Float16.bfloat16ToFloat(b.getShort());
            };
        }
        return v;
    }

    private void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, at);
            if (r < 0) {
                throw malformed("the file ends early (truncated while being read?)");
            }
            at += r;
        }
    }
}
