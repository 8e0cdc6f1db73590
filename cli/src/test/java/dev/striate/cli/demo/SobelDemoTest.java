package dev.striate.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo: facade, generated Java, in-process javac, fresh class loader, run. */
class SobelDemoTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void generatedClassComputesTheSobelEdges() throws Exception {
        SobelDemo.Result r = SobelDemo.run(EXAMPLES, tmp);
        assertEquals(24, r.height());
        assertEquals(24, r.width());
        assertTrue(r.maxDifference() <= 1e-5, "max difference " + r.maxDifference());
        assertTrue(Files.isRegularFile(r.generatedSource()));
        assertTrue(r.generatedSource().startsWith(tmp.resolve("src")));
        assertTrue(Files.isRegularFile(tmp.resolve("classes/striate/demo/SobelEdges.class")));
        float max = 0;
        for (float v : r.edges()) {
            max = Math.max(max, v);
        }
        assertTrue(max >= 4f, "edges found: " + max);
    }

    @Test
    void printsPicturesAndTimings() throws Exception {
        SobelDemo.Result r = SobelDemo.run(EXAMPLES, tmp);
        StringWriter text = new StringWriter();
        SobelDemo.print(r, EXAMPLES, new PrintWriter(text));
        String out = text.toString();
        assertTrue(out.contains("generated  " + r.generatedSource()), out);
        assertTrue(out.contains("javac      --release 11 --limit-modules java.base, empty class path: ok"), out);
        assertTrue(out.contains("input [1, 24, 24]"), out);
        assertTrue(out.contains("@@"), out);
        assertTrue(out.contains("us/image"), out);
        assertTrue(out.contains("matches a hand-written Sobel filter"), out);
    }
}
