package dev.striate.cli.demo;

/**
 * A hand-written Sobel filter (3x3 cross-correlation, zero padding 1) that the demo compares
 * the generated class against, so that the printed edges are known to be right.
 */
final class SobelReference {
    static final float[][] GX = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
    static final float[][] GY = {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};

    private SobelReference() {
    }

    /** Gx then Gy, each {@code h x w}, for a row-major {@code h x w} image. */
    static float[] apply(float[] image, int h, int w) {
        float[] out = new float[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float gx = 0;
                float gy = 0;
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int iy = y + ky - 1;
                        int ix = x + kx - 1;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            gx += GX[ky][kx] * image[iy * w + ix];
                            gy += GY[ky][kx] * image[iy * w + ix];
                        }
                    }
                }
                out[y * w + x] = gx;
                out[h * w + y * w + x] = gy;
            }
        }
        return out;
    }
}
