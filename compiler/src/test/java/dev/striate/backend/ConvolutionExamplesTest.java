package dev.striate.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.Padding;
import dev.striate.ir.Shape;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.GraphBuilder;
import org.junit.jupiter.api.Test;

/**
 * Hand-checkable convolutions with exact integer results: the 6x6 binary image of the course
 * slides with its two 3x3 filters (stride 1 and 2), and Sobel filters with and without padding.
 */
class ConvolutionExamplesTest {

    static final float[] IMAGE_6X6 = rows("100001", "010010", "001100", "100010", "010010", "001010");
    static final float[] FILTER_1 = {1, -1, -1, -1, 1, -1, -1, -1, 1};
    static final float[] FILTER_2 = {-1, 1, -1, -1, 1, -1, -1, 1, -1};

    static final float[] SOBEL_IMAGE = {
        0, 0, 0, 9, 9,
        0, 0, 0, 9, 9,
        0, 0, 0, 9, 9,
        0, 0, 9, 9, 9,
        0, 9, 9, 9, 9};
    static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    static final float[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

    static float[] rows(String... rows) {
        float[] x = new float[rows.length * rows[0].length()];
        int i = 0;
        for (String r : rows) {
            for (char c : r.toCharArray()) {
                x[i++] = c - '0';
            }
        }
        return x;
    }

    static float[] concat(float[] a, float[] b) {
        float[] r = new float[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** One conv layer without bias and with the given 3x3 filters; returns its output for {@code image}. */
    static float[] convolve(int size, float[] image, int stride, int padding, float[]... filters) {
        GraphBuilder b = new GraphBuilder("Filters", 1);
        String x = b.input(Shape.chw(1, size, size));
        String y = b.add("conv", new Conv2d(filters.length, 3, 3, stride, stride, Padding.Explicit.of(padding), 1, 1, 1,
                false, Activation.IDENTITY), x);
        float[] w = new float[0];
        for (float[] f : filters) {
            w = concat(w, f);
        }
        b.weight("conv.weight", w);
        CompiledModel m = CompiledModel.compile(JavaBackend.generate(b.build(y),
                new GenerateOptions("t.examples", "Filters", false)));
        return m.load().predict(image);
    }

    @Test
    void slideFiltersStrideOne() {
        float[] out = convolve(6, IMAGE_6X6, 1, 0, FILTER_1, FILTER_2);
        float[] expected1 = {3, -1, -3, -1, -3, 1, 0, -3, -3, -3, 0, 1, 3, -2, -2, -1};
        float[] expected2 = {-1, -1, -1, -1, -1, -1, -2, 1, -1, -1, -2, 1, -1, 0, -4, 3};
        assertArrayEquals(concat(expected1, expected2), out);
    }

    @Test
    void slideFilterStrideTwo() {
        assertArrayEquals(new float[] {3, -3, -3, 0}, convolve(6, IMAGE_6X6, 2, 0, FILTER_1));
    }

    @Test
    void sobelValid() {
        float[] out = convolve(5, SOBEL_IMAGE, 1, 0, SOBEL_X, SOBEL_Y);
        float[] gx = {0, 36, 36, 9, 36, 27, 27, 27, 9};
        float[] gy = {0, 0, 0, 9, 18, 9, 27, 27, 9};
        assertArrayEquals(concat(gx, gy), out);
    }

    @Test
    void sobelZeroPadded() {
        float[] out = convolve(5, SOBEL_IMAGE, 1, 1, SOBEL_X, SOBEL_Y);
        float[] gx = {
            0, 0, 27, 27, -27,
            0, 0, 36, 36, -36,
            0, 9, 36, 27, -36,
            9, 27, 27, 9, -36,
            18, 27, 9, 0, -27};
        float[] gy = {
            0, 0, 9, 27, 27,
            0, 0, 0, 0, 0,
            0, 9, 18, 9, 0,
            9, 27, 27, 9, 0,
            0, -9, -27, -36, -27};
        assertArrayEquals(concat(gx, gy), out);
    }
}
