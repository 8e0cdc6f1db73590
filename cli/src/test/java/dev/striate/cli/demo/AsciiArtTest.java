package dev.striate.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsciiArtTest {

    @Test
    void shadesScaleToTheLargestMagnitude() {
        assertEquals(' ', AsciiArt.shade(0f, 4f));
        assertEquals('@', AsciiArt.shade(4f, 4f));
        assertEquals('@', AsciiArt.shade(-4f, 4f), "magnitude, not sign");
        assertEquals('+', AsciiArt.shade(2f, 4f), "half way up the ramp");
        assertEquals(':', AsciiArt.shade(1f, 4f));
        assertEquals(' ', AsciiArt.shade(1f, 0f), "an all-zero map stays blank");
    }

    @Test
    void panelsSideBySideTwoCharactersPerPixel() {
        float[] a = {1, 0, 0, 1};
        float[] b = {0, 2, 1, 0};
        String art = AsciiArt.render(2, 2, List.of(new AsciiArt.Panel("in", a), new AsciiArt.Panel("out", b)));
        assertEquals("in     out\n"
                + "@@       @@\n"
                + "  @@   ++\n", art);
    }
}
