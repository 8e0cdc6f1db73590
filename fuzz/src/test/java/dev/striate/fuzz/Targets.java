package dev.striate.fuzz;

import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ParsedFile;
import dev.striate.ir.Graph;
import dev.striate.weights.Tensor;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The two fuzz targets' bodies, shared by the Jazzer tests (fuzzing and regression mode) and by
 * {@link SeedReplayTest}. Each returns normally when the input was either accepted or refused
 * the way a user mistake must be refused (a {@link CompileException} carrying at least one
 * error, each with a code, a position and a message); anything else propagates and is a finding:
 * any other exception, a {@code StackOverflowError}, an {@code OutOfMemoryError}, a hang (the
 * per-input timeout), or a refusal without a diagnostic.
 */
final class Targets {
    /** What separates the manifest from the blob in a weights input. */
    static final byte[] BLOB_SEPARATOR = "\n--blob--\n".getBytes(StandardCharsets.US_ASCII);
    /** The blob's name in every weights input (seeds' {@code data} fields are rewritten to it). */
    static final String BLOB_NAME = "model.weights.bin";
    /** Models lowered per input at most (a file may declare many). */
    private static final int MAX_MODELS = 8;

    private Targets() {
    }

    /**
     * A {@code .cnn} file's bytes through what {@code striate check} does before weights: read
     * (strict UTF-8), parse, lower every model and infer its shapes.
     */
    static void frontend(byte[] data, Path workDir, FuzzStats stats) {
        Path source = workDir.resolve("model.cnn");
        write(source, data);
        long started = System.nanoTime();
        try {
            ParsedFile parsed = Frontend.parse(Compiler.readSource(source), source.toString());
            List<String> names = parsed.modelNames();
            for (String name : names.subList(0, Math.min(names.size(), MAX_MODELS))) {
                Graph graph = parsed.model(name, new Diagnostics());
                if (graph == null) {
                    throw new AssertionError("model '" + name + "' lowered to null without a diagnostic");
                }
            }
            stats.accepted(data, System.nanoTime() - started);
        } catch (CompileException e) {
            checkRefusal(e);
            stats.refused(data, e, System.nanoTime() - started);
        }
    }

    /**
     * A weights input (manifest bytes, {@link #BLOB_SEPARATOR}, blob bytes) through the manifest
     * reader as {@code striate check} and {@code compile} call it: the manifest and the blob are
     * written to a folder of their own and read back.
     */
    static void weights(byte[] data, Path workDir, FuzzStats stats) {
        int cut = indexOf(data, BLOB_SEPARATOR);
        byte[] manifestBytes = cut < 0 ? data : Arrays.copyOfRange(data, 0, cut);
        byte[] blob = cut < 0 ? new byte[0] : Arrays.copyOfRange(data, cut + BLOB_SEPARATOR.length, data.length);
        Path manifest = workDir.resolve("model.weights.json");
        write(manifest, manifestBytes);
        write(workDir.resolve(BLOB_NAME), blob);
        long started = System.nanoTime();
        try {
            WeightSet set = Compiler.readWeights(manifest);
            long values = 0;
            for (Tensor t : set.tensors().values()) {
                values += t.size();
            }
            if (values < 0) {
                throw new AssertionError("negative value count");
            }
            stats.accepted(data, System.nanoTime() - started);
        } catch (CompileException e) {
            checkRefusal(e);
            stats.refused(data, e, System.nanoTime() - started);
        } catch (WeightsException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("WeightsException without a message", e);
            }
            stats.refused(data, null, System.nanoTime() - started);
        }
    }

    /** A refusal must say something: at least one error, each with a code, a position and a message. */
    private static void checkRefusal(CompileException e) {
        List<Diagnostic> diagnostics = e.diagnostics();
        if (diagnostics == null || diagnostics.stream().noneMatch(Diagnostic::isError)) {
            throw new AssertionError("CompileException without an error diagnostic", e);
        }
        for (Diagnostic d : diagnostics) {
            if (d.code() == null || d.pos() == null || d.message() == null || d.message().isBlank()) {
                throw new AssertionError("incomplete diagnostic: " + d, e);
            }
            d.format();
        }
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(Path file, byte[] data) {
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException("the fuzz harness cannot write its scratch file", e);
        }
    }
}
