package dev.striate.train;

import dev.striate.io.AtomicFiles;
import dev.striate.weights.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Stores a {@link Checkpoint} in one binary file, written atomically: the bytes go to a temporary
 * file in the same directory, which is flushed to disk and then renamed over the old checkpoint,
 * so the file on disk is always a whole checkpoint, old or new. The file starts with a magic and a
 * version and ends with a CRC-32 of everything before it; a truncated or corrupted file is
 * rejected with a {@link TrainingException}.
 */
public final class CheckpointFile {
    /** The checkpoint's file name inside a checkpoint directory. */
    public static final String NAME = "checkpoint.ckpt";
    private static final byte[] MAGIC = "STRIATE-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private CheckpointFile() {
    }

    /** The checkpoint file of a checkpoint directory. */
    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    /** Writes {@code checkpoint} to {@code file} atomically; on failure the old file is left as it was. */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        write(file, checkpoint, UnaryOperator.identity());
    }

    /** As {@link #write(Path, Checkpoint)}, with the file stream wrapped (tests inject failures this way). */
    static void write(Path file, Checkpoint checkpoint, UnaryOperator<OutputStream> wrap) throws IOException {
        AtomicFiles.write(file, stream -> write(wrap.apply(stream), checkpoint));
    }

    /**
     * Writes {@code checkpoint}'s bytes (the file's whole content) to {@code raw}, left open: for
     * stores other than a local file (Spark's Hadoop file systems), which must make it atomic.
     */
    public static void write(OutputStream raw, Checkpoint checkpoint) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                new BufferedOutputStream(raw, 1 << 16), crc));
        writeBody(out, checkpoint);
        out.flush();
        new DataOutputStream(raw).writeLong(crc.getValue());
        raw.flush();
    }

    private static void writeBody(DataOutputStream out, Checkpoint c) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(c.fingerprint());
        out.writeInt(c.epoch());
        out.writeInt(c.batch());
        Checkpoint.EpochTotals t = c.partial();
        out.writeDouble(t.lossSum());
        out.writeLong(t.correct());
        out.writeLong(t.seen());
        out.writeDouble(t.seconds());
        out.writeInt(c.history().size());
        for (EpochStats s : c.history()) {
            out.writeInt(s.epoch());
            out.writeDouble(s.lr());
            out.writeDouble(s.trainLoss());
            out.writeDouble(s.trainAccuracy());
            out.writeDouble(s.valLoss());
            out.writeDouble(s.valAccuracy());
            out.writeDouble(s.seconds());
            out.writeDouble(s.imagesPerSecond());
        }
        out.writeUTF(c.optimizerName());
        out.writeLong(c.optimizerSteps());
        out.writeInt(c.optimizerState().length);
        for (float[][] buffers : c.optimizerState()) {
            out.writeInt(buffers.length);
            for (float[] b : buffers) {
                writeFloats(out, b);
            }
        }
        writeTensors(out, c.parameters());
        writeTensors(out, c.buffers());
    }

    private static void writeTensors(DataOutputStream out, List<Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Tensor t : tensors) {
            out.writeUTF(t.name());
            int[] shape = t.shape();
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            writeFloats(out, t.data());
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeInt(Float.floatToRawIntBits(v));
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @throws TrainingException when the file is not a checkpoint, is of another version, or is
     *     truncated or corrupted
     * @throws java.nio.file.NoSuchFileException when it does not exist
     */
    public static Checkpoint read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, Files.size(file));
        }
    }

    /**
     * Reads a checkpoint of {@code size} bytes from {@code in} (not closed), checked as {@link #read(Path)}
     * checks a file; {@code file} names it in the messages.
     */
    public static Checkpoint read(String file, InputStream in, long size) throws IOException {
        if (size < MAGIC.length + Long.BYTES) {
            throw new TrainingException(file + ": not a Striate checkpoint (only " + size + " bytes)");
        }
        CRC32 crc = new CRC32();
        try {
            InputStream raw = new BufferedInputStream(in, 1 << 16);
            DataInputStream body = new DataInputStream(new CheckedInputStream(
                    new BoundedInputStream(raw, size - Long.BYTES), crc));
            Checkpoint c = readBody(file, body);
            if (body.read() != -1) {
                throw new TrainingException(file + ": corrupted checkpoint (trailing bytes)");
            }
            long stored = new DataInputStream(raw).readLong();
            if (stored != crc.getValue()) {
                throw new TrainingException(file + ": corrupted checkpoint (checksum mismatch)");
            }
            return c;
        } catch (EOFException | UTFDataFormatException | IllegalArgumentException e) {
            throw new TrainingException(file + ": truncated or corrupted checkpoint", e);
        }
    }

    private static Checkpoint readBody(String file, DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new TrainingException(file + ": not a Striate checkpoint");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new TrainingException(file + ": checkpoint version " + version + ", this runtime reads " + VERSION);
        }
        String fingerprint = in.readUTF();
        int epoch = in.readInt();
        int batch = in.readInt();
        Checkpoint.EpochTotals totals = new Checkpoint.EpochTotals(in.readDouble(), in.readLong(), in.readLong(),
                in.readDouble());
        int epochs = readCount(in);
        List<EpochStats> history = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            history.add(new EpochStats(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
        }
        String optimizer = in.readUTF();
        long steps = in.readLong();
        float[][][] state = new float[readCount(in)][][];
        for (int p = 0; p < state.length; p++) {
            state[p] = new float[readCount(in)][];
            for (int b = 0; b < state[p].length; b++) {
                state[p][b] = readFloats(in);
            }
        }
        List<Tensor> params = readTensors(in);
        List<Tensor> buffers = readTensors(in);
        return new Checkpoint(fingerprint, epoch, batch, totals, history, optimizer, steps, state, params, buffers);
    }

    private static List<Tensor> readTensors(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int[] shape = new int[readCount(in)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readInt();
            }
            tensors.add(new Tensor(name, shape, readFloats(in)));
        }
        return tensors;
    }

    /** A count of list entries; a corrupted one fails here rather than allocating gigabytes. */
    private static int readCount(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 20)) {
            throw new EOFException("implausible count " + n);
        }
        return n;
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new EOFException("implausible length " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.intBitsToFloat(in.readInt());
        }
        return v;
    }

    /** Reads at most {@code limit} bytes of another stream, leaving the rest (the checksum) in it. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
