package dev.striate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.cli.ModelSummary;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Graph;
import org.junit.jupiter.api.Test;

/**
 * The inference benchmark's own models ({@code src/main/resources/dev/striate/bench}) are the
 * networks issue 16 names: parameter counts worked out by hand from the layer list, shapes and
 * layer counts. Needs no weights (those are written by {@code tools/bench/export_onnx.py}).
 */
class BenchModelsTest {
    private static Graph model(String name) {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = BenchModels.unbound(name, diagnostics);
        assertTrue(diagnostics.sorted().isEmpty(), () -> name + ": " + diagnostics.sorted());
        return graph;
    }

    private static int[] outputDims(Graph graph) {
        return graph.node(graph.outputs().get(0)).shape().dims();
    }

    private static long convolutions(Graph graph) {
        return graph.nodes().stream().filter(n -> n.op() instanceof Conv2d).count();
    }

    @Test
    void fashionCnnIsTheCoursesTenLayerNetwork() {
        Graph graph = model("fashion_cnn");
        // conv 7x7x1x64, 3x3x64x128, 3x3x128x128, 3x3x128x256, 3x3x256x256 (+ biases), then
        // dense 2304 -> 128 -> 64 -> 10 (+ biases): 28 -> 14 -> 7 -> 3 after the three pools.
        long params = (49 * 64 + 64) + (9 * 64 * 128 + 128) + (9 * 128 * 128 + 128) + (9 * 128 * 256 + 256)
                + (9 * 256 * 256 + 256) + (2304 * 128 + 128) + (128 * 64 + 64) + (64 * 10 + 10);
        assertEquals(1_413_834, params);
        assertEquals(params, ModelSummary.of(graph).totalParams());
        assertEquals(5, convolutions(graph));
        assertArrayEquals(new int[] {1, 28, 28}, graph.inputs().get(0).shape().dims());
        assertArrayEquals(new int[] {10}, outputDims(graph));
    }

    @Test
    void goNetHasTwelveConvolutionsOf192ChannelsOnTheBoard() {
        Graph graph = model("go_net");
        long params = (25 * 48 * 192 + 192) + 10 * (9 * 192 * 192 + 192) + (192 + 1);
        assertEquals(params, ModelSummary.of(graph).totalParams());
        assertEquals(12, convolutions(graph));
        assertArrayEquals(new int[] {48, 19, 19}, graph.inputs().get(0).shape().dims());
        assertArrayEquals(new int[] {361}, outputDims(graph));
        // a multiply-add counts 2: the convolutions alone are 2 x 361 x 192 x (48 x 25 + 10 x 192 x 9) + 2 x 361 x 192
        long convFlops = 2L * 361 * 192 * (48 * 25 + 10 * 192 * 9) + 2L * 361 * 192;
        long total = ModelSummary.of(graph).totalFlops();
        assertTrue(total >= convFlops && total < convFlops * 1.01, () -> total + " vs " + convFlops);
    }

    @Test
    void dwBlockIsDepthwiseThenPointwise() {
        Graph graph = model("dw_block");
        // depthwise 3x3 on 32 channels + bias, batch norm (4 x 32), pointwise 32 -> 64 + bias, batch norm (4 x 64)
        assertEquals((9 * 32 + 32) + 4 * 32 + (32 * 64 + 64) + 4 * 64, ModelSummary.of(graph).totalParams());
        assertArrayEquals(new int[] {64, 56, 56}, outputDims(graph));
    }
}
