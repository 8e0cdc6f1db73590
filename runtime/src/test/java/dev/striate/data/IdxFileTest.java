package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheBigEndianHeaderAndUnsignedBytes() throws IOException {
        byte[] file = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 0, 127, (byte) 128, (byte) 255, 1, 2};
        IdxFile idx = IdxFile.read(new ByteArrayInputStream(file), "mem");
        assertArrayEquals(new int[] {2, 1, 3}, idx.dims());
        assertEquals(0, idx.unsigned(0));
        assertEquals(127, idx.unsigned(1));
        assertEquals(128, idx.unsigned(2));
        assertEquals(255, idx.unsigned(3));
        assertEquals(2, idx.unsigned(5));
    }

    @Test
    void dimensionsAbove255AreReadAsFullIntegers() throws IOException {
        byte[] data = new byte[70_000];
        data[69_999] = (byte) 200;
        Path p = dir.resolve("labels-idx1-ubyte");
        new IdxFile(new int[] {70_000}, data).write(p);
        byte[] raw = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 1, 0x11, 0x70}, Arrays.copyOf(raw, 8));
        IdxFile back = IdxFile.read(p);
        assertArrayEquals(new int[] {70_000}, back.dims());
        assertEquals(200, back.unsigned(69_999));
    }

    @Test
    void gzipIsUsedWhenTheNameEndsInGz() throws IOException {
        IdxFile idx = new IdxFile(new int[] {3, 2, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 250});
        Path gz = dir.resolve("x-idx3-ubyte.gz");
        idx.write(gz);
        byte[] raw = Files.readAllBytes(gz);
        assertEquals(0x1f, raw[0] & 0xFF);
        assertEquals(0x8b, raw[1] & 0xFF);
        assertEquals(idx, IdxFile.read(gz));
    }

    @Test
    void badFilesGiveMessagesThatNameTheFileAndTheProblem() throws IOException {
        assertError("f: not an IDX file (magic number 0x89504E47 does not start with two zero bytes)",
                0x89, 'P', 'N', 'G', 0, 0, 0, 0);
        assertError("f: IDX element type 0x0D is not supported (only unsigned bytes, 0x08)", 0, 0, 0x0D, 1, 0, 0, 0, 1);
        assertError("f: not an IDX file (shorter than the 4-byte magic number)", 0, 0);
        assertError("f: truncated IDX header (3 dimensions expected)", 0, 0, 8, 3, 0, 0, 0, 1, 0, 0);
        assertError("f: truncated IDX file: dimensions [2, 2] need 4 bytes of data, found 3",
                0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3);
        assertError("f: IDX file has bytes after the 2 elements of dimensions [2]", 0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3);
        assertError("f: IDX file with zero dimensions", 0, 0, 8, 0);
        assertError("f: IDX dimension 0 is negative (4294967295)", 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF);
        assertError("f: IDX file too large for one array: [65536, 65536, 0]",
                0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        Path missing = dir.resolve("nope-idx1-ubyte");
        assertEquals(missing + ": no such IDX file",
                assertThrows(DataException.class, () -> IdxFile.read(missing)).getMessage());
        Path notGzip = dir.resolve("plain.gz");
        Files.write(notGzip, new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        assertEquals(notGzip + ": not a gzip file (Not in GZIP format)",
                assertThrows(DataException.class, () -> IdxFile.read(notGzip)).getMessage());
    }

    @Test
    void recordChecksTheDataLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new IdxFile(new int[] {2, 3}, new byte[5]));
        assertEquals("IDX dimensions [2, 3] do not match 5 elements", e.getMessage());
    }

    private static void assertError(String message, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        DataException e = assertThrows(DataException.class, () -> IdxFile.read(new ByteArrayInputStream(b), "f"));
        assertEquals(message, e.getMessage());
    }
}
