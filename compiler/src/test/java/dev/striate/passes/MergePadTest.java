package dev.striate.passes;

import static dev.striate.passes.Ops.conv;
import static dev.striate.passes.Ops.relu;
import static dev.striate.passes.PassAssertions.assertKinds;
import static dev.striate.passes.PassAssertions.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Shape;
import dev.striate.testing.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergePadTest {
    private final MergePad pass = new MergePad();

    private static Pad pad(int top, int bottom, int left, int right) {
        return new Pad(new Padding.Explicit(top, bottom, left, right));
    }

    private static Conv2d strided(int filters, int k, int stride, Padding p, int dilation, int groups) {
        return new Conv2d(filters, k, k, stride, stride, p, dilation, dilation, groups, true, Activation.RELU);
    }

    private static Padding.Explicit convPadding(Graph g, String name) {
        return (Padding.Explicit) ((Conv2d) g.node(name).op()).padding();
    }

    @Test
    void asymmetricPadMergesIntoAStridedConv() {
        GraphBuilder b = new GraphBuilder("T", 1);
        String x = b.input(Shape.chw(2, 6, 6));
        String p = b.add("p", pad(0, 1, 0, 1), x);
        Graph g = b.build(b.add("c", strided(3, 3, 2, Padding.VALID, 1, 1), p));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "conv2d");
        assertEquals(new Padding.Explicit(0, 1, 0, 1), convPadding(merged, "c"));
        assertEquals(List.of(x), merged.node("c").inputs());
        assertEquals(Shape.chw(3, 3, 3), merged.node("c").shape());
    }

    @Test
    void paddingsAddUpWithTheConvsOwn() {
        GraphBuilder b = new GraphBuilder("T", 2);
        String x = b.input(Shape.chw(2, 5, 4));
        String p = b.add("p", pad(2, 0, 1, 3), x);
        Graph g = b.build(b.add("c", strided(2, 3, 1, new Padding.Explicit(1, 2, 0, 1), 1, 1), p));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "conv2d");
        assertEquals(new Padding.Explicit(3, 2, 1, 4), convPadding(merged, "c"));
    }

    @Test
    void sameIsResolvedForThePaddedInputBeforeMerging() {
        GraphBuilder b = new GraphBuilder("T", 3);
        String x = b.input(Shape.chw(1, 5, 5));
        String p = b.add("p", pad(1, 1, 1, 1), x);
        // same on the padded 7x7 with a 4x4 kernel, stride 2: total 3 per axis, 1 before, 2 after.
        Graph g = b.build(b.add("c", strided(2, 4, 2, new Padding.Same(), 1, 1), p));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "conv2d");
        assertEquals(new Padding.Explicit(2, 3, 2, 3), convPadding(merged, "c"));
    }

    @Test
    void mergesIntoDilatedDepthwiseConv() {
        GraphBuilder b = new GraphBuilder("T", 4);
        String x = b.input(Shape.chw(3, 6, 6));
        String p = b.add("p", pad(2, 2, 2, 2), x);
        Graph g = b.build(b.add("c", strided(3, 3, 1, Padding.VALID, 2, 3), p));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "conv2d");
        assertEquals(Padding.Explicit.of(2), convPadding(merged, "c"));
    }

    @Test
    void mergesIntoAvgpoolThatCountsPaddedCells() {
        GraphBuilder b = new GraphBuilder("T", 5);
        String x = b.input(Shape.chw(2, 5, 5));
        String p = b.add("p", pad(0, 1, 0, 1), x);
        Graph g = b.build(b.add("a", new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, true), p));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "avgpool");
        assertEquals(new Padding.Explicit(0, 1, 0, 1), ((Pool2d) merged.node("a").op()).padding());
    }

    @Test
    void keptBeforeMaxpoolAndBeforeAvgpoolThatExcludesPadding() {
        for (Pool2d pool : List.of(new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true),
                new Pool2d(Pool2d.Kind.AVG, 2, 2, 2, 2, Padding.VALID, false))) {
            GraphBuilder b = new GraphBuilder("T", 6);
            String x = b.input(Shape.chw(2, 5, 5));
            String p = b.add("p", pad(0, 1, 0, 1), x);
            Graph g = b.build(b.add("a", pool, p));

            assertSame(g, pass.run(g), pool.kind());
        }
    }

    @Test
    void keptWhenThePaddedMapHasOtherReadersOrIsAnOutput() {
        GraphBuilder b = new GraphBuilder("T", 7);
        String x = b.input(Shape.chw(2, 4, 4));
        String p = b.add("p", pad(1, 1, 1, 1), x);
        String c = b.add("c", strided(2, 3, 1, Padding.Explicit.of(1), 1, 1), p);
        Graph twoReaders = b.build(b.add("sum", new Add(), c, p));
        assertSame(twoReaders, pass.run(twoReaders));

        GraphBuilder o = new GraphBuilder("T", 8);
        Graph asOutput = o.build(o.add("p", pad(1, 1, 1, 1), o.input(Shape.chw(2, 4, 4))));
        assertSame(asOutput, pass.run(asOutput));
    }

    @Test
    void chainedPadsCollapseIntoTheConv() {
        GraphBuilder b = new GraphBuilder("T", 9);
        String x = b.input(Shape.chw(2, 4, 4));
        String p1 = b.add("p1", pad(1, 0, 0, 2), x);
        String p2 = b.add("p2", pad(0, 1, 1, 0), p1);
        Graph g = b.build(b.add("c", strided(2, 3, 1, Padding.VALID, 1, 1), p2));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "conv2d");
        assertEquals(new Padding.Explicit(1, 1, 1, 2), convPadding(merged, "c"));
    }

    @Test
    void zeroPadIsRemovedWhateverReadsIt() {
        GraphBuilder b = new GraphBuilder("T", 10);
        String x = b.input(Shape.chw(2, 4, 4));
        String p = b.add("p", pad(0, 0, 0, 0), x);
        String r = b.add("r", relu(), p);
        Graph g = b.build(b.add("c", conv(2, 3), r));

        Graph merged = runChecked(pass, g);

        assertKinds(merged, "input", "relu", "conv2d");
        assertEquals(List.of(x), merged.node("r").inputs());
    }

    @Test
    void standardPipelineMergesPadsForTraining() {
        GraphBuilder b = new GraphBuilder("T", 11);
        String x = b.input(Shape.chw(1, 6, 6));
        String p = b.add("p", pad(0, 1, 0, 1), x);
        Graph g = b.build(b.add("c", strided(2, 3, 2, Padding.VALID, 1, 1), p));

        Graph out = PassPipeline.standard().verifyingEachPass().run(g, Pass.Mode.TRAINING, null);

        assertKinds(out, "input", "conv2d");
        PassAssertions.assertEquivalent(g, out, 3);
    }

    @Test
    void thePadConvFixtureOptimizesToOneConv() {
        Graph g = OptimizedFixturesTest.load("pad_conv");
        assertKinds(g, "input", "pad", "conv2d");

        Graph out = PassPipeline.standard().verifyingEachPass().run(g, Pass.Mode.INFERENCE, null);

        assertKinds(out, "input", "conv2d");
        assertEquals(new Padding.Explicit(0, 1, 0, 1), convPadding(out, "conv"));
        PassAssertions.assertEquivalent(g, out, 3);
    }
}
