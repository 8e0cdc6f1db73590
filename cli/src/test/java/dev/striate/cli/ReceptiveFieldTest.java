package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.Diagnostics;
import dev.striate.frontend.Frontend;
import dev.striate.ir.Add;
import dev.striate.ir.ConvPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.passes.FusePool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Receptive fields against boxes worked out by hand: a chain, the residual add of
 * examples/resnet/tiny_resnet.cnn, branches whose fields are offset against each other (the
 * union is larger than either), branches of different strides, and a concat.
 */
class ReceptiveFieldTest {
    private static Graph graph(String body) {
        return Frontend.parse("model M {\n" + body + "}\n", "m.cnn").model(null);
    }

    /** Rows and columns of unit {@code (y, x)} of {@code layer}, on an input of {@code h x w}. */
    private static void box(Graph g, String layer, int y, int x, int h, int w, int top, int bottom, int left, int right) {
        ReceptiveField f = ReceptiveField.of(g, layer);
        assertFalse(f.whole(), layer + " is not the whole image");
        assertArrayEquals(new int[] {top, bottom}, f.rows(y, h), layer + " rows of unit " + y);
        assertArrayEquals(new int[] {left, right}, f.columns(x, w), layer + " columns of unit " + x);
    }

    @Test
    void aChainComposesKernelsStridesAndPadding() {
        Graph g = graph(" input x: [1, 16, 16]\n conv2d(2, kernel=3, padding=1, name=\"c1\")\n"
                + " maxpool(2, name=\"p1\")\n conv2d(2, kernel=3, dilation=2, name=\"c2\")\n");
        // c1: [i-1, i+2); p1: size 4, jump 2, start -1; c2 (kernel 5 dilated): size 4 + 4*2 = 12, start -1
        box(g, "c1", 5, 0, 16, 16, 4, 7, 0, 2);
        box(g, "p1", 3, 3, 16, 16, 5, 9, 5, 9);
        box(g, "c2", 1, 2, 16, 16, 1, 13, 3, 15);
    }

    @Test
    void theResidualAddOfTinyResNetSeesTheUnionOfItsBranches() throws IOException {
        Graph g = Frontend.parse(Files.readString(Path.of(Cli.example("resnet/tiny_resnet.cnn"))), "tiny_resnet.cnn")
                .model(null, new Diagnostics());
        String add = g.nodes().stream().filter(n -> n.op() instanceof Add).map(Node::name).findFirst().orElseThrow();
        // stem: one 3x3 same conv, [i-1, i+2); the other branch three of them, [i-3, i+4): the union is 7x7
        box(g, "last_conv", 10, 10, 32, 32, 7, 14, 7, 14);
        box(g, add, 10, 20, 32, 32, 7, 14, 17, 24);
        box(g, add, 0, 31, 32, 32, 0, 4, 28, 32);
    }

    @Test
    void offsetBranchesGiveAFieldLargerThanEither() {
        Graph g = graph(" input x: [1, 12, 12]\n a = conv2d(x, 1, kernel=3, padding=[2, 0, 0, 2], name=\"a\")\n"
                + " b = conv2d(x, 1, kernel=3, padding=[0, 2, 2, 0], name=\"b\")\n s = add(a, b, name=\"s\")\n"
                + " c = conv2d(s, 1, kernel=3, padding=1, name=\"c\")\n p = maxpool(c, 2, name=\"p\")\n output p\n");
        // a: rows [i-2, i+1), columns [j, j+3); b: rows [i, i+3), columns [j-2, j+1); s: both [i-2, i+3)
        box(g, "a", 5, 5, 12, 12, 3, 6, 5, 8);
        box(g, "b", 5, 5, 12, 12, 5, 8, 3, 6);
        box(g, "s", 5, 5, 12, 12, 3, 8, 3, 8);
        // c: [i-3, i+4); p: unit i covers c's units 2i and 2i+1, [2i-3, 2i+5)
        box(g, "c", 5, 5, 12, 12, 2, 9, 2, 9);
        box(g, "p", 2, 3, 12, 12, 1, 9, 3, 11);
    }

    @Test
    void branchesOfDifferentStridesKeepBothSpans() {
        Graph g = graph(" input x: [1, 8, 8]\n a = conv2d(x, 1, kernel=1, stride=2, name=\"a\")\n"
                + " p = pad(a, [2, 2, 2, 2], name=\"p\")\n s = add(p, x, name=\"s\")\n output s\n");
        // p: unit i sees [2i-4, 2i-3) (padding where negative); x: [i, i+1); s: their bounding interval
        box(g, "p", 6, 2, 8, 8, 8 - 1, 8, 0, 1);
        box(g, "s", 6, 2, 8, 8, 6, 8, 0, 3);
        box(g, "s", 3, 5, 8, 8, 2, 4, 5, 7);
    }

    @Test
    void aConcatSeesTheUnionAndLayersAfterItToo() {
        Graph g = graph(" input x: [1, 10, 10]\n a = conv2d(x, 2, kernel=1, name=\"a\")\n"
                + " b = conv2d(x, 2, kernel=5, padding=2, name=\"b\")\n y = concat(a, b, name=\"y\")\n"
                + " z = conv2d(y, 1, kernel=3, stride=2, name=\"z\")\n output z\n");
        box(g, "y", 4, 4, 10, 10, 2, 7, 2, 7);
        // z unit i covers y's units 2i .. 2i+2: [2i-2, 2i+5)
        box(g, "z", 1, 3, 10, 10, 0, 7, 4, 10);
        assertTrue(ReceptiveField.of(graph(" input x: [1, 8, 8]\n conv2d(2, kernel=3, name=\"c\")\n flatten\n"
                + " dense(2, name=\"d\")\n"), "d").whole(), "a dense layer sees the whole image");
    }

    @Test
    void aConvFusedWithItsPoolSeesWhatThePoolSaw() {
        Graph plain = graph(" input x: [1, 16, 16]\n conv2d(2, kernel=3, padding=1, name=\"c1\")\n"
                + " maxpool(2, name=\"p1\")\n conv2d(2, kernel=3, name=\"c2\")\n");
        Graph fused = new FusePool().run(plain);
        assertTrue(fused.node("c1").op() instanceof ConvPool, "FusePool fused c1 with p1");
        // the fused node keeps the conv's name and sees what the pool after the conv saw: [2i-1, 2i+3)
        box(plain, "p1", 3, 3, 16, 16, 5, 9, 5, 9);
        box(fused, "c1", 3, 3, 16, 16, 5, 9, 5, 9);
        box(fused, "c2", 1, 2, 16, 16, 1, 9, 3, 11);
        box(plain, "c2", 1, 2, 16, 16, 1, 9, 3, 11);
    }
}
