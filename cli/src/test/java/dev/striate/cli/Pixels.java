package dev.striate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.viz.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** What the {@code striate show} tests share: running a picture command and reading its pixels back. */
final class Pixels {
    private Pixels() {
    }

    /** Runs {@code args} (ending in the output file), which must succeed, and reads the PNG it wrote. */
    static BufferedImage picture(String... args) throws IOException {
        Cli.Run run = Cli.run(args);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("wrote "), run.out());
        return ImageIO.read(Path.of(args[args.length - 1]).toFile());
    }

    /** The colour (0xRRGGBB) of value {@code (r, c)} of the tile placed at {@code p}. */
    static int rgb(BufferedImage img, ImageGrid.Placement p, int r, int c) {
        return img.getRGB(p.pixelX(c), p.pixelY(r)) & 0xFFFFFF;
    }
}
