package dev.striate.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An IDX file, the format of MNIST: a big-endian header (two zero bytes, the element type, the
 * number of dimensions, then each dimension as a 32-bit integer) followed by the elements. Only
 * unsigned bytes (type {@code 0x08}) are supported, which is what MNIST and its relatives use.
 * A file whose name ends in {@code .gz} is read and written through gzip.
 *
 * @param dims the dimensions, outermost first (e.g. {@code [60000, 28, 28]})
 * @param data the elements, unsigned bytes in row-major order ({@code data[i] & 0xFF})
 */
public record IdxFile(int[] dims, byte[] data) {
    /** The element type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** Checks the data length is the product of the dimensions. */
    public IdxFile {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("IDX dimensions must not be negative: " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (dims.length == 0 || dims.length > 255 || n != data.length) {
            throw new IllegalArgumentException("IDX dimensions " + Arrays.toString(dims) + " do not match "
                    + data.length + " elements");
        }
    }

    /** The dimensions (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The element {@code i} as an unsigned value in {@code [0, 255]}. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    /** Reads an IDX file, through gzip if the name ends in {@code .gz}. */
    public static IdxFile read(Path path) throws IOException {
        String name = path.toString();
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such IDX file");
        }
        try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(in, name);
        } catch (java.util.zip.ZipException e) {
            throw new DataException(name + ": not a gzip file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads an IDX file from a stream; {@code source} names it in error messages. */
    public static IdxFile read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new DataException(source + ": not an IDX file (shorter than the 4-byte magic number)");
        }
        if ((magic >>> 16) != 0) {
            throw new DataException(String.format("%s: not an IDX file (magic number 0x%08X does not start with two zero bytes)",
                    source, magic));
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataException(String.format("%s: IDX element type 0x%02X is not supported (only unsigned bytes, 0x08)",
                    source, type));
        }
        if (rank == 0) {
            throw new DataException(source + ": IDX file with zero dimensions");
        }
        int[] dims = new int[rank];
        long n = 1;
        try {
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new DataException(source + ": IDX dimension " + i + " is negative (" + (dims[i] & 0xFFFFFFFFL) + ")");
                }
                n *= dims[i];
                if (n > Integer.MAX_VALUE - 8) {
                    throw new DataException(source + ": IDX file too large for one array: " + Arrays.toString(dims));
                }
            }
        } catch (EOFException e) {
            throw new DataException(source + ": truncated IDX header (" + rank + " dimensions expected)");
        }
        byte[] data = new byte[(int) n];
        int read = in.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new DataException(source + ": truncated IDX file: dimensions " + Arrays.toString(dims)
                    + " need " + data.length + " bytes of data, found " + read);
        }
        if (in.read() != -1) {
            throw new DataException(source + ": IDX file has bytes after the " + data.length
                    + " elements of dimensions " + Arrays.toString(dims));
        }
        return new IdxFile(dims, data);
    }

    /** Writes this file, through gzip if the name ends in {@code .gz}. */
    public void write(Path path) throws IOException {
        try (OutputStream raw = Files.newOutputStream(path);
                OutputStream out = path.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
            write(out);
        }
    }

    /** Writes the header and elements to a stream (not closed). */
    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
        out.writeInt((UNSIGNED_BYTE << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile f && Arrays.equals(dims, f.dims) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxFile" + Arrays.toString(dims);
    }
}
