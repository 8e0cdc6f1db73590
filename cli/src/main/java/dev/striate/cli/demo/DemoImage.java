package dev.striate.cli.demo;

/**
 * The demo's input picture, drawn procedurally at any size: a disc and a rectangle with a
 * triangular notch, white (1) on black (0), one channel, row-major.
 */
public final class DemoImage {
    private DemoImage() {
    }

    /** A {@code height x width} picture as a row-major {@code [1, height, width]} array. */
    public static float[] draw(int height, int width) {
        float[] px = new float[height * width];
        double s = Math.min(height, width) / 24.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double cy = y + 0.5;
                double cx = x + 0.5;
                boolean disc = sq(cx - 7.5 * s) + sq(cy - 7.5 * s) <= sq(5.5 * s);
                boolean box = cx >= 12 * s && cx <= 21.5 * s && cy >= 14 * s && cy <= 22 * s;
                double depth = cy - 14 * s;
                boolean notch = depth < 3 * s - Math.abs(cx - 17 * s);
                px[y * width + x] = disc || (box && !notch) ? 1f : 0f;
            }
        }
        return px;
    }

    private static double sq(double v) {
        return v * v;
    }
}
