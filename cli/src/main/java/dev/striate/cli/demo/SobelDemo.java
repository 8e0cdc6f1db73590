package dev.striate.cli.demo;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.backend.GeneratedFile;
import dev.striate.ir.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The quick-start demo: compiles the bundled Sobel edge detector with the facade, compiles the
 * generated Java in-process ({@code --release 11}, {@code java.base} only, empty class path),
 * loads it in a fresh class loader, runs it on a drawn picture and prints input and edges as text.
 */
public final class SobelDemo {
    static final String PACKAGE = "striate.demo";
    static final String CLASS = "SobelEdges";
    private static final int WARMUP_RUNS = 5000;
    private static final int TIMED_RUNS = 5000;

    private SobelDemo() {
    }

    /** What the demo measured, for the printout and for tests. */
    public record Result(Path generatedSource, int height, int width, float[] input, float[] edges,
                         double maxDifference, long compileMillis, long javacMillis, long loadMillis,
                         double microsPerImage) {
    }

    /** Runs the demo with the examples in {@code examples}, writing generated files under {@code work}. */
    public static Result run(Path examples, Path work) throws IOException, ReflectiveOperationException {
        Path model = examples.resolve("sobel/sobel.cnn");
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        long t0 = System.nanoTime();
        CompileResult compiled = Compiler.compile(CompileRequest.builder(model)
                .weights(examples.resolve("sobel/sobel.weights.json"))
                .packageName(PACKAGE).className(CLASS)
                .sourceOutput(src).resourceOutput(classes).build());
        long t1 = System.nanoTime();
        List<Path> sources = compiled.files().stream().filter(f -> f.kind() == GeneratedFile.Kind.SOURCE)
                .map(f -> src.resolve(f.relativePath())).toList();
        JavaSourceCompiler.compile(sources, classes);
        long t2 = System.nanoTime();
        Shape in = compiled.graph().inputs().get(0).shape();
        if (in.rank() != 3 || in.channels() != 1) {
            throw new IllegalStateException("the Sobel example should take [1, H, W], not " + in);
        }
        int h = in.height();
        int w = in.width();
        float[] image = DemoImage.draw(h, w);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            GeneratedModel net = GeneratedModel.load(loader.loadClass(PACKAGE + "." + CLASS));
            long t3 = System.nanoTime();
            float[] out = net.predict(image);
            if (out.length != 2 * h * w) {
                throw new IllegalStateException("expected " + 2 * h * w + " outputs (Gx and Gy), got " + out.length);
            }
            for (int i = 0; i < WARMUP_RUNS; i++) {
                net.predict(image);
            }
            long t4 = System.nanoTime();
            for (int i = 0; i < TIMED_RUNS; i++) {
                net.predict(image);
            }
            double micros = (System.nanoTime() - t4) / 1e3 / TIMED_RUNS;
            float[] edges = magnitude(out, h * w);
            float[] expected = magnitude(SobelReference.apply(image, h, w), h * w);
            double diff = 0;
            for (int i = 0; i < edges.length; i++) {
                diff = Math.max(diff, Math.abs(edges[i] - expected[i]));
            }
            return new Result(sources.get(0), h, w, image, edges, diff, millis(t0, t1), millis(t1, t2),
                    millis(t2, t3), micros);
        }
    }

    /** Prints a result: paths, the two pictures and the timings. */
    public static void print(Result r, Path examples, PrintWriter out) {
        out.println("Striate demo: a Sobel edge detector compiled to plain Java");
        out.println("  model      " + examples.resolve("sobel/sobel.cnn"));
        out.println("  weights    " + examples.resolve("sobel/sobel.weights.json"));
        out.println("  generated  " + r.generatedSource());
        out.println("  javac      " + String.join(" ", JavaSourceCompiler.OPTIONS.subList(0, 4))
                + ", empty class path: ok");
        out.println();
        out.print(AsciiArt.render(r.height(), r.width(), List.of(
                new AsciiArt.Panel("input [1, " + r.height() + ", " + r.width() + "]", r.input()),
                new AsciiArt.Panel("edges: sqrt(Gx^2 + Gy^2)", r.edges()))));
        out.println();
        out.println(String.format(Locale.ROOT,
                "striate compile %d ms, javac %d ms, load %d ms, predict %.1f us/image (mean of %d runs after warm-up)",
                r.compileMillis(), r.javacMillis(), r.loadMillis(), r.microsPerImage(), TIMED_RUNS));
        out.println(String.format(Locale.ROOT, "matches a hand-written Sobel filter: max |difference| = %.2g",
                r.maxDifference()));
        out.flush();
    }

    /** sqrt(gx^2 + gy^2) from the two output channels. */
    static float[] magnitude(float[] gxgy, int plane) {
        float[] m = new float[plane];
        for (int i = 0; i < plane; i++) {
            float gx = gxgy[i];
            float gy = gxgy[plane + i];
            m[i] = (float) Math.sqrt(gx * gx + gy * gy);
        }
        return m;
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
