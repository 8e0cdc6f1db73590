package dev.striate.backend.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.ir.Activation;
import dev.striate.ir.ConvGeometry;
import dev.striate.ir.Padding;
import dev.striate.ir.Pool2d;
import dev.striate.passes.FusePool;
import org.junit.jupiter.api.Test;

/** The limits {@link FusePool} decides by agree with the ones {@link ConvRows} generates by. */
class ConvRowsLimitsTest {

    static ConvLoops.Layer geometry(int inC, int inH, int outC, int outH, int k) {
        return new ConvLoops.Layer(new ConvGeometry(false, inC, inH, inH, outC, outH, outH, k, k, 1, 1, 1, 1, 0, 0, 1),
                0, -1, Activation.RELU);
    }

    @Test
    void passLimitsAreTheBackends() {
        assertEquals(ConvRows.MAX_UNFOLDED, FusePool.MAX_UNFOLDED);
        assertEquals(ConvRows.MAX_UNROLLED_PIXELS, FusePool.MIN_PLANE);
    }

    @Test
    void wholePlaneOnlyWhenNotBandedNorSummedInLocals() {
        assertTrue(ConvRows.wholePlane(geometry(1, 28, 32, 26, 3)));
        assertFalse(ConvRows.wholePlane(geometry(16, 40, 2, 38, 3)), "banded");
        assertFalse(ConvRows.wholePlane(geometry(16, 60, 4, 58, 3)), "blocked, in bands of at most 1,600 pixels");
        assertTrue(ConvRows.wholePlane(geometry(16, 40, 4, 38, 3)), "blocked, 1,444 pixels");
        assertFalse(ConvRows.wholePlane(geometry(16, 5, 32, 3, 3)), "9 pixels: locals / channel-major");
        PlanePool pool = new PlanePool(new Pool2d(Pool2d.Kind.MAX, 2, 2, 2, 2, Padding.VALID, true), 38, 38, 19, 19);
        assertThrows(IllegalStateException.class, () -> ConvRows.body(geometry(16, 40, 2, 38, 3), pool));
    }

    static ConvLoops.Layer same3x3(int inC, int size, int outC) {
        return new ConvLoops.Layer(new ConvGeometry(false, inC, size, size, outC, size, size, 3, 3, 1, 1, 1, 1, 1, 1, 1),
                0, -1, Activation.RELU);
    }

    /** The geometries OpEquivalenceTest's "one run per tap" cases rely on take the paths they name. */
    @Test
    void contiguousRunsOnlyForStrideOneFullWidthOutputs() {
        assertTrue(ConvUnfold.contiguousRows(same3x3(4, 64, 3)));
        assertTrue(ConvUnfold.contiguousRows(geometry(32, 56, 64, 56, 1)), "1x1");
        assertFalse(ConvUnfold.contiguousRows(geometry(1, 28, 32, 26, 3)), "valid padding: narrower output");
        assertEquals(16, ConvRows.band(same3x3(4, 64, 3)), "in bands of 16 rows");
        ConvLoops.Layer partial = same3x3(8, 61, 8);
        assertTrue(ConvRows.blocked(partial));
        assertTrue(ConvRows.partialBand(partial));
        assertEquals(26, ConvRows.band(partial), "bands of 26 rows, then 9");
    }

    @Test
    void channelInnerOnlyOnSmallPlanesWithManyChannels() {
        ConvLoops.Layer fashion = geometry(256, 9, 256, 7, 3);
        assertTrue(ConvRows.channelInner(fashion), "Fashion CNN's 7x7 256-channel conv");
        assertFalse(ConvRows.blocked(fashion));
        assertTrue(ConvRows.transposedWeights(fashion));
        assertTrue(ConvRows.wholePlane(fashion), "a fused pool reads the gathered plane");
        assertEquals(24, ConvRows.innerBlock(fashion), "24 rows of 256 floats: 24 KB");
        assertTrue(ConvRows.channelInner(geometry(8, 10, 128, 8, 3)), "64 pixels");
        assertFalse(ConvRows.channelInner(geometry(8, 11, 128, 9, 3)), "81 pixels: blocked");
        assertFalse(ConvRows.channelInner(geometry(128, 16, 128, 14, 3)), "Fashion CNN's 14x14 conv: blocked");
        assertFalse(ConvRows.channelInner(geometry(192, 21, 192, 19, 3)), "Go net's 19x19 conv: blocked");
        assertFalse(ConvRows.channelInner(geometry(256, 9, 64, 7, 3)), "64 output channels: blocked");
        assertFalse(ConvRows.channelInner(geometry(16, 5, 128, 3, 3)), "9 pixels: channel-major");
        assertTrue(ConvRows.blocked(geometry(192, 21, 192, 19, 3)));
    }
}
