package dev.striate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch side of the inference table: {@code tools/bench/torch_worker.py} in a child
 * process, driven one command at a time, so its rounds alternate with the Java side's in one
 * run and never overlap them (the harness waits for each answer). Started with
 * {@code OPENBLAS_NUM_THREADS=1} and the glibc malloc thresholds DEVELOPERS.md recommends for
 * PyTorch on this machine; its stderr goes to ours.
 */
final class TorchWorker implements AutoCloseable {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private TorchWorker(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code python tools/bench/torch_worker.py} from the repository at {@code root}. */
    static TorchWorker start(String python, Path root) {
        ProcessBuilder pb = new ProcessBuilder(python, root.resolve("tools/bench/torch_worker.py").toString());
        Map<String, String> env = pb.environment();
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824");
        env.put("PYTHONWARNINGS", "ignore");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new TorchWorker(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + python + " (PyTorch side; -Dstriate.bench.torch=none skips it)", e);
        }
    }

    /** Builds the model and checks it against the cache's output.bin; returns the largest difference. */
    double load(String model) {
        return Double.parseDouble(ask("load " + model).get(0));
    }

    /** A freshly built model's first calls (at most {@code calls}, at most {@code maxMillis}), ns each. */
    double[] trace(String model, int calls, double maxMillis) {
        return ask("trace " + model + " " + calls + " " + maxMillis).stream().mapToDouble(Double::parseDouble).toArray();
    }

    /** One round: nanoseconds per call of a batch of {@code batch} images on {@code threads} threads. */
    double round(String model, int batch, int threads, double minMillis) {
        return Double.parseDouble(ask("round " + model + " " + batch + " " + threads + " " + minMillis).get(0));
    }

    private List<String> ask(String command) {
        try {
            in.write(command + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the PyTorch worker exited (command: " + command + ")");
            }
            if (!line.startsWith("ok")) {
                throw new IllegalStateException("PyTorch worker, " + command + ": " + line);
            }
            String[] words = line.trim().split(" ");
            return Arrays.asList(words).subList(1, words.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.close();
            process.waitFor();
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
