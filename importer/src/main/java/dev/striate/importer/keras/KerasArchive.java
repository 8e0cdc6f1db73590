package dev.striate.importer.keras;

import dev.striate.diag.ErrorCode;
import dev.striate.importer.onnx.ImportError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The three entries Striate reads from a Keras 3 {@code .keras} archive, read into memory (nothing
 * is extracted): {@code config.json}, {@code metadata.json} (optional) and {@code model.weights.h5}.
 * The archive is refused (E611) when any entry's name is absolute or holds {@code ..}, a backslash
 * or a control character, when it has more than {@value #MAX_ENTRIES} entries or a name twice, and
 * when an entry read is declared or found larger than its cap or expands more than
 * {@value #MAX_RATIO} times its stored size; other entries (assets) are never read.
 */
final class KerasArchive {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    static final int MAX_ENTRIES = 64;
    static final long MAX_RATIO = 100;
    /** Below this size an entry's compression ratio is not checked (tiny JSON compresses well). */
    static final long RATIO_FLOOR = 1 << 20;
    static final Map<String, Long> CAPS = Map.of(CONFIG, 16L << 20, METADATA, 1L << 20, WEIGHTS, 1L << 30);

    final byte[] config;
    final byte[] metadata;
    final byte[] weights;

    private KerasArchive(byte[] config, byte[] metadata, byte[] weights) {
        this.config = config;
        this.metadata = metadata;
        this.weights = weights;
    }

    static KerasArchive read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Set<String> names = new HashSet<>();
            int count = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw unsafe(file, "it has more than " + MAX_ENTRIES + " entries (a Keras model has 3)");
                }
                String problem = nameProblem(entry.getName());
                if (problem != null) {
                    throw unsafe(file, "entry '" + KerasFile.shown(entry.getName()) + "' " + problem);
                }
                if (!names.add(entry.getName())) {
                    throw unsafe(file, "entry '" + KerasFile.shown(entry.getName()) + "' appears twice");
                }
            }
            Map<String, byte[]> read = new HashMap<>();
            for (String name : CAPS.keySet()) {
                ZipEntry entry = zip.getEntry(name);
                if (entry != null && !entry.isDirectory()) {
                    read.put(name, entry(file, zip, entry));
                }
            }
            for (String needed : new String[] {CONFIG, WEIGHTS}) {
                if (!read.containsKey(needed)) {
                    throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "the archive has no " + needed
                            + " (a Keras 3 .keras file holds config.json, metadata.json and model.weights.h5)");
                }
            }
            return new KerasArchive(read.get(CONFIG), read.get(METADATA), read.get(WEIGHTS));
        } catch (ZipException e) {
            throw ImportError.at(file, ErrorCode.KERAS_UNREADABLE, "not a readable .keras archive (a zip file): "
                    + e.getMessage());
        }
    }

    /** Null for a name that is safe to look at; otherwise why it is refused. */
    static String nameProblem(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            return "is an absolute path";
        }
        if (name.indexOf('\\') >= 0) {
            return "holds a backslash";
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                return "leads out of the archive ('..')";
            }
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "holds a control character";
        }
        return null;
    }

    private static byte[] entry(Path file, ZipFile zip, ZipEntry entry) throws IOException {
        long cap = CAPS.get(entry.getName());
        long size = entry.getSize();
        long stored = entry.getCompressedSize();
        if (size > cap) {
            throw unsafe(file, "entry '" + entry.getName() + "' declares " + size + " bytes, over the " + cap
                    + "-byte cap");
        }
        if (size > RATIO_FLOOR && stored >= 0 && size > MAX_RATIO * stored) {
            throw unsafe(file, "entry '" + entry.getName() + "' declares " + size + " bytes stored in " + stored
                    + " (over " + MAX_RATIO + " times: a decompression bomb?)");
        }
        byte[] data;
        try (InputStream in = zip.getInputStream(entry)) {
            data = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
        }
        if (data.length > cap || (size >= 0 && data.length != size)) {
            throw unsafe(file, "entry '" + entry.getName() + "' holds " + (data.length > cap ? "more than " + cap
                    : data.length) + " bytes where it declares " + size);
        }
        if (data.length > RATIO_FLOOR && stored >= 0 && data.length > MAX_RATIO * stored) {
            throw unsafe(file, "entry '" + entry.getName() + "' expands " + stored + " stored bytes to "
                    + data.length + " (over " + MAX_RATIO + " times: a decompression bomb?)");
        }
        return data;
    }

    private static RuntimeException unsafe(Path file, String why) {
        return ImportError.at(file, ErrorCode.KERAS_UNSAFE_ARCHIVE, "unsafe .keras archive: " + why);
    }
}
