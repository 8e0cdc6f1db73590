package dev.striate.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The seed corpus of both targets, taken from what the repository already commits, so that a
 * new hostile case, error golden, example or fixture becomes a seed without a copy:
 * {@code cli/src/test/resources/hostile/**}, {@code frontend/errors/*.cnn}, the PyTorch
 * fixtures and {@code examples/**}.
 */
final class Seeds {
    /** Seeds larger than this are left out (libFuzzer's -max_len truncates anyway). */
    static final int MAX_SEED = 65_536;
    private static final Pattern DATA_FIELD = Pattern.compile("\"data\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"");

    private Seeds() {
    }

    /** The repository's root: {@code -Dstriate.root}, else the module's parent folder. */
    static Path root() {
        String root = System.getProperty("striate.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        return p.toAbsolutePath().normalize();
    }

    private static List<Path> roots() {
        Path root = root();
        return List.of(root.resolve("compiler/src/test/resources"), root.resolve("cli/src/test/resources"),
                root.resolve("examples"));
    }

    /** Every committed {@code .cnn} file, by its path relative to the repository. */
    static Map<String, byte[]> frontend() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (Path file : files(".cnn")) {
            byte[] bytes = read(file);
            if (bytes.length <= MAX_SEED) {
                seeds.put(root().relativize(file).toString(), bytes);
            }
        }
        if (seeds.size() < 20) {
            throw new IllegalStateException("only " + seeds.size() + " .cnn seeds under " + roots());
        }
        return seeds;
    }

    /**
     * Every committed weights manifest with its blob, as a weights input: the manifest with its
     * {@code data} field renamed to {@link Targets#BLOB_NAME}, the separator, the blob (empty when
     * the manifest names none, or one outside its folder, or one too large).
     */
    static Map<String, byte[]> weights() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (Path file : files(".json")) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".weights.json") && !file.toString().contains("/hostile/")) {
                continue;
            }
            String manifest = new String(read(file), StandardCharsets.UTF_8);
            byte[] blob = new byte[0];
            Matcher m = DATA_FIELD.matcher(manifest);
            if (m.find()) {
                String value = m.group();
                String dataName = value.substring(value.indexOf(':') + 1).strip();
                dataName = dataName.substring(1, dataName.length() - 1);
                Path data = file.getParent().resolve(dataName).normalize();
                if (data.getParent() != null && data.getParent().equals(file.getParent())
                        && Files.isRegularFile(data) && size(data) <= MAX_SEED) {
                    blob = read(data);
                }
                manifest = manifest.substring(0, m.start()) + "\"data\": \"" + Targets.BLOB_NAME + "\""
                        + manifest.substring(m.end());
            }
            byte[] m1 = manifest.getBytes(StandardCharsets.UTF_8);
            byte[] input = new byte[m1.length + Targets.BLOB_SEPARATOR.length + blob.length];
            System.arraycopy(m1, 0, input, 0, m1.length);
            System.arraycopy(Targets.BLOB_SEPARATOR, 0, input, m1.length, Targets.BLOB_SEPARATOR.length);
            System.arraycopy(blob, 0, input, m1.length + Targets.BLOB_SEPARATOR.length, blob.length);
            if (input.length <= MAX_SEED) {
                seeds.put(root().relativize(file).toString(), input);
            }
        }
        if (seeds.size() < 20) {
            throw new IllegalStateException("only " + seeds.size() + " manifest seeds under " + roots());
        }
        return seeds;
    }

    /** Writes seeds into {@code dir} (cleared first), one file each, named by content hash. */
    static void writeTo(Map<String, byte[]> seeds, Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (byte[] seed : seeds.values()) {
                Files.write(dir.resolve("seed-" + sha1(seed)), seed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(String suffix) {
        List<Path> out = new ArrayList<>();
        for (Path r : roots()) {
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                        .sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
