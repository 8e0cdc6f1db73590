package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.striate.diag.CompileException;
import dev.striate.diag.ErrorCode;
import dev.striate.importer.safetensors.Float16;
import dev.striate.importer.safetensors.StateDictImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An ONNX model file read with the protobuf classes of {@code ai.onnx.proto.OnnxMl}: the model
 * itself, its default-domain opset, and the decoding of its tensors (inline, raw or in external
 * data files, which must be regular files inside the model's folder).
 */
final class OnnxFile {
    /** The largest model file read (protobuf's own limit is 2 GiB). */
    static final long MAX_BYTES = 1L << 30;

    final Path path;
    final ModelProto model;
    final long opset;

    private OnnxFile(Path path, ModelProto model, long opset) {
        this.path = path;
        this.model = model;
        this.opset = opset;
    }

    static OnnxFile read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw ImportError.at(path, ErrorCode.IO, "is a directory; give the path of an .onnx file");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isRegularFile(path)) {
            throw ImportError.at(path, ErrorCode.IO, "is not a regular file (a device, pipe or socket)");
        }
        long size = Files.size(path);
        if (size > MAX_BYTES) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "is " + size + " bytes, more than the "
                    + MAX_BYTES + " bytes an ONNX file may have here");
        }
        ModelProto model;
        try (InputStream in = Files.newInputStream(path)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            coded.setRecursionLimit(64);
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "is not an ONNX model (truncated or another "
                    + "format" + otherFormat(path) + "): " + e.getMessage());
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "is not an ONNX model: it has no "
                    + (model.getIrVersion() <= 0 ? "IR version" : "graph") + " (truncated or another format?"
                    + otherFormat(path) + ")");
        }
        long opset = -1;
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                opset = id.getVersion();
            }
        }
        if (opset < 0) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "imports no opset of the default ONNX domain");
        }
        return new OnnxFile(path, model, opset);
    }

    /**
     * A hint when the file is one of the formats people try first: a zip (a PyTorch {@code .pt}
     * checkpoint or a Keras {@code .keras} file) or HDF5 (a Keras {@code .h5}); else empty.
     */
    static String otherFormat(Path path) {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return "";
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return "; it is a zip archive, like a PyTorch .pt checkpoint or a Keras .keras file. "
                    + StateDictImport.CHECKPOINT_HINT + ". Keras files are not read yet (convert them to ONNX, e.g. "
                    + "with tf2onnx)";
        }
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return "; it is an HDF5 file, like a Keras .h5 model: Keras files are not read yet (convert them to "
                    + "ONNX, e.g. with tf2onnx)";
        }
        return "";
    }

    /** The tensor's values; float (32, 16 and bfloat16), double and integer types are read, others refused. */
    Const tensor(TensorProto t) throws IOException {
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "tensor '" + t.getName() + "' has dimension " + d);
            }
            dims[i] = (int) d;
            count *= d;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "tensor '" + t.getName() + "' has " + count
                    + " elements, more than a Java array holds");
        }
        int n = (int) count;
        int type = t.getDataType();
        double[] v = new double[n];
        if (width(type) == 0) {
            throw unsupportedType(t);
        }
        ByteString raw = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL ? external(t, n, type)
                : t.hasRawData() ? t.getRawData() : null;
        if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() != (long) n * width(type)) {
                throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "tensor '" + t.getName() + "' holds "
                        + b.remaining() + " bytes for " + n + " elements of " + width(type) + " bytes");
            }
            for (int i = 0; i < n; i++) {
                v[i] = switch (type) {
                    case TensorProto.DataType.FLOAT_VALUE -> b.getFloat();
                    case TensorProto.DataType.INT32_VALUE -> b.getInt();
                    case TensorProto.DataType.DOUBLE_VALUE -> b.getDouble();
                    case TensorProto.DataType.FLOAT16_VALUE -> halfToFloat(b.getShort());
                    case TensorProto.DataType.BFLOAT16_VALUE -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    default -> b.getLong();
                };
            }
            return new Const(dims, v);
        }
        int have = switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            default -> t.getInt32DataCount();   // INT32, and FLOAT16/BFLOAT16 bits
        };
        if (have != n) {
            throw ImportError.at(path, ErrorCode.IMPORT_UNREADABLE, "tensor '" + t.getName() + "' holds " + have
                    + " values for shape of " + n + " elements");
        }
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
                case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleData(i);
                case TensorProto.DataType.INT64_VALUE -> t.getInt64Data(i);
                case TensorProto.DataType.FLOAT16_VALUE -> halfToFloat((short) t.getInt32Data(i));
                case TensorProto.DataType.BFLOAT16_VALUE -> Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16);
                default -> t.getInt32Data(i);
            };
        }
        return new Const(dims, v);
    }

    /** Bytes per element of a tensor type Striate reads, 0 for the others. */
    static int width(int type) {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE -> 2;
            default -> 0;
        };
    }

    /** IEEE 754 half precision to float (exact: every half is a float). */
    static float halfToFloat(short bits) {
        return Float16.toFloat(bits);
    }

    private CompileException unsupportedType(TensorProto t) {
        return ImportError.at(path, ErrorCode.IMPORT_UNSUPPORTED_FORM, "tensor '" + t.getName() + "' has element type "
                + TensorProto.DataType.forNumber(t.getDataType()) + "; Striate reads FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT32 and "
                + "INT64 tensors");
    }

    /** The bytes of an external tensor: a regular file inside the model's folder, the range in range. */
    private ByteString external(TensorProto t, int n, int type) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(t, e);
                case "length" -> length = parseLong(t, e);
                default -> { }
            }
        }
        String what = "tensor '" + t.getName() + "': external data ";
        if (location == null || location.isEmpty()) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "without a location");
        }
        Path folder = path.toAbsolutePath().getParent().toRealPath();
        Path file;
        try {
            file = folder.resolve(location).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "'" + location + "' is not a file name");
        }
        if (Path.of(location).isAbsolute() || !file.startsWith(folder)) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "'" + location
                    + "' is outside the model's folder; external data must lie beside the model");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "'" + location + "' does not exist");
        }
        Path real = file.toRealPath();
        if (!real.startsWith(folder) || !Files.isRegularFile(real)) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "'" + location
                    + "' is not a regular file inside the model's folder");
        }
        long want = (long) n * width(type);
        long size = Files.size(real);
        if (length < 0) {
            length = want;
        }
        if (offset < 0 || length != want || offset + length > size) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, what + "range " + offset + "+" + length
                    + " does not fit '" + location + "' (" + size + " bytes) or the tensor (" + want + " bytes)");
        }
        try (FileChannel ch = FileChannel.open(real)) {
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // keep reading
            }
            buf.flip();
            return ByteString.copyFrom(buf);
        }
    }

    private long parseLong(TensorProto t, StringStringEntryProto e) throws IOException {
        try {
            return Long.parseLong(e.getValue());
        } catch (NumberFormatException x) {
            throw ImportError.at(path, ErrorCode.IMPORT_EXTERNAL_DATA, "tensor '" + t.getName() + "': external data "
                    + e.getKey() + " '" + e.getValue() + "' is not a number");
        }
    }
}
