package dev.striate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One model's benchmark data, written by {@code tools/bench/export_onnx.py} to
 * {@code ${XDG_CACHE_HOME:-~/.cache}/striate/bench/<model>/}: {@code input.bin} (a batch of
 * images, float32 little-endian) and {@code output.bin} (PyTorch's outputs for them), the ONNX
 * exports {@code b1.onnx} and {@code b<batch>.onnx}, and for the benchmark's own models their
 * weights. Every implementation is checked against {@link #outputs} before it is timed.
 */
record BenchData(Path dir, float[][] inputs, float[][] outputs) {
    /**
     * A difference is accepted up to {@code TOLERANCE * (|y| + max |y|)}: y PyTorch's value, the
     * maximum over the image's outputs. Relative to the output's scale, so that it still means
     * something for the Go net's 361 probabilities of about 0.003.
     */
    static final float TOLERANCE = 1e-4f;

    /** The benchmark cache: {@code ${XDG_CACHE_HOME:-~/.cache}/striate/bench}. */
    static Path root() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("striate").resolve("bench");
    }

    /** The model's directory in the cache. */
    static Path dir(String model) {
        return root().resolve(model);
    }

    /** Reads the model's inputs and PyTorch outputs, {@code inputSize} and {@code outputSize} floats per image. */
    static BenchData read(String model, int inputSize, int outputSize) {
        Path dir = dir(model);
        float[][] in = read(dir.resolve("input.bin"), inputSize);
        float[][] out = read(dir.resolve("output.bin"), outputSize);
        if (in.length != out.length) {
            throw new IllegalStateException(dir + ": " + in.length + " inputs but " + out.length + " outputs");
        }
        return new BenchData(dir, in, out);
    }

    /** Images in the batch. */
    int batch() {
        return inputs.length;
    }

    /** The ONNX export at batch 1 or at {@link #batch()}. */
    Path onnx(int batchSize) {
        return dir.resolve("b" + batchSize + ".onnx");
    }

    /**
     * Refuses outputs that differ from PyTorch's for the first {@code got.length} images beyond
     * the tolerance; returns the largest difference.
     */
    double check(String what, float[][] got) {
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            double scale = 0;
            for (float y : outputs[i]) {
                scale = Math.max(scale, Math.abs(y));
            }
            for (int k = 0; k < got[i].length; k++) {
                float want = outputs[i][k];
                double d = Math.abs(got[i][k] - want);
                if (!(d <= TOLERANCE * (Math.abs(want) + scale))) {
                    throw new IllegalStateException(what + ": image " + i + " output " + k + " is " + got[i][k]
                            + ", PyTorch gives " + want + " (tolerance " + TOLERANCE + " x (|y| + " + scale + "))");
                }
                max = Math.max(max, d);
            }
        }
        return max;
    }

    private static float[][] read(Path file, int size) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": run /usr/bin/python3 tools/bench/export_onnx.py");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length % (size * Float.BYTES) != 0) {
                throw new IllegalStateException(file + ": " + bytes.length + " bytes is not a whole number of "
                        + size + "-float images (stale cache? rerun export_onnx.py --force)");
            }
            FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[][] images = new float[bytes.length / (size * Float.BYTES)][size];
            for (float[] image : images) {
                floats.get(image);
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
