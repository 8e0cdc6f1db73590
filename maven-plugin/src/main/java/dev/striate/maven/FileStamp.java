package dev.striate.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A fingerprint of one input file: size, modification time and SHA-256. Size and time decide
 * quickly that nothing changed; when the time moved (a {@code touch}, a checkout) the hash
 * decides, so a file rewritten with the same bytes does not trigger a recompilation.
 *
 * @param size         bytes
 * @param lastModified milliseconds since the epoch
 * @param sha256       lowercase hex of the content's SHA-256
 * @param path         the file
 */
public record FileStamp(long size, long lastModified, String sha256, Path path) {

    /** Fingerprints {@code file} as it is now. */
    public static FileStamp of(Path file) throws IOException {
        return new FileStamp(Files.size(file), Files.getLastModifiedTime(file).toMillis(), sha256(file), file);
    }

    /** Whether {@code file} still has the content this stamp was taken from. */
    public boolean sameContentAs(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != size) {
            return false;
        }
        if (Files.getLastModifiedTime(file).toMillis() == lastModified) {
            return true;
        }
        return sha256(file).equals(sha256);
    }

    /** {@code size lastModified sha256 path}: the path last, so it may hold spaces. */
    String format() {
        return size + " " + lastModified + " " + sha256 + " " + path;
    }

    static Optional<FileStamp> parse(String text) {
        String[] parts = text.split(" ", 4);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileStamp(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2],
                    Path.of(parts[3])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file's SHA-256, streamed: a blob of any size is hashed without being held in memory. */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
