package dev.striate.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoImageTest {

    @Test
    void binaryPictureWithBothShapes() {
        float[] px = DemoImage.draw(24, 24);
        assertEquals(24 * 24, px.length);
        int on = 0;
        for (float v : px) {
            assertTrue(v == 0f || v == 1f);
            on += (int) v;
        }
        assertTrue(on > 24 * 24 / 8 && on < 24 * 24 / 2, "a fair share of the picture is drawn: " + on);
        assertEquals(1f, px[7 * 24 + 7], "inside the disc");
        assertEquals(1f, px[19 * 24 + 19], "inside the box");
        assertEquals(0f, px[0], "corner is background");
        assertEquals(0f, px[14 * 24 + 16], "the notch cuts the box's top edge");
        assertEquals(1f, px[14 * 24 + 13], "beside the notch");
        assertEquals(0f, px[13 * 24 + 13], "disc and box do not touch");
    }

    @Test
    void deterministicAndSizeAware() {
        assertArrayEquals(DemoImage.draw(24, 24), DemoImage.draw(24, 24));
        assertEquals(48 * 32, DemoImage.draw(48, 32).length);
    }

    @Test
    void sobelReferenceFindsEdgesOnlyAtBoundaries() {
        float[] px = DemoImage.draw(24, 24);
        float[] g = SobelReference.apply(px, 24, 24);
        float[] m = SobelDemo.magnitude(g, 24 * 24);
        assertEquals(0f, m[0], "flat background");
        assertEquals(0f, m[19 * 24 + 18], "flat inside the box");
        float maxM = 0;
        for (float v : m) {
            maxM = Math.max(maxM, v);
        }
        assertTrue(maxM >= 4f, "a step edge gives |G| of at least 4: " + maxM);
    }

    @Test
    void sobelReferenceOnARamp() {
        // f(x, y) = x: Gx = 8 inside (1*2 + 2*2 + 1*2), Gy = 0.
        float[] px = new float[5 * 5];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                px[y * 5 + x] = x;
            }
        }
        float[] g = SobelReference.apply(px, 5, 5);
        assertEquals(8f, g[2 * 5 + 2]);
        assertEquals(0f, g[25 + 2 * 5 + 2]);
    }
}
