package dev.striate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static final ImageShape RGB_1X2 = new ImageShape(3, 1, 2);

    @Test
    void meanStdPerChannel() {
        float[] v = {0, 0, 10, 10, 5, 7, 0, 0};
        Normalization.of(new double[] {1, 2, 3}, new double[] {1, 4, 2}).apply(v, 2, RGB_1X2);
        assertArrayEquals(new float[] {0, 0, 9, 9, 0.75f, 1.25f, -1.5f, -1.5f}, v);
    }

    @Test
    void rescaleAppliesToEveryChannel() {
        float[] v = {255, 0, 51, 102, 127.5f, 255};
        Normalization.rescale(255).apply(v, 0, RGB_1X2);
        assertArrayEquals(new float[] {1, 0, 0.2f, 0.4f, 0.5f, 1}, v, 1e-7f);
    }

    @Test
    void afterRescaleEqualsRescaleThenMeanStd() {
        Normalization n = Normalization.afterRescale(255, new double[] {0.1307}, new double[] {0.3081});
        float[] v = {0, 255, 128};
        n.apply(v, 0, new ImageShape(1, 1, 3));
        for (int i = 0; i < 3; i++) {
            double x = new double[] {0, 255, 128}[i] / 255;
            assertEquals((x - 0.1307) / 0.3081, v[i], 1e-5);
        }
    }

    @Test
    void fitMeasuresMeanAndPopulationStd() {
        float[] px = {1, 3, 10, 20, 5, 7, 30, 40};
        Dataset ds = new FloatImageDataset(new ImageShape(2, 1, 2), px, new int[] {0, 0}, List.of("x"));
        Normalization n = Normalization.fit(ds);
        assertArrayEquals(new float[] {4, 25}, n.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(5), (float) Math.sqrt(125)}, n.std(), 1e-6f);
    }

    @Test
    void badValuesAreRejected() {
        assertEquals("need one mean and one std per channel, got 2 means and 1 stds",
                assertThrows(IllegalArgumentException.class,
                        () -> Normalization.of(new double[] {0, 0}, new double[] {1})).getMessage());
        assertEquals("channel 0: std must be positive and finite and mean finite, got mean 0.0, std 0.0",
                assertThrows(IllegalArgumentException.class, () -> Normalization.rescale(0)).getMessage());
        Normalization two = Normalization.of(new double[] {0, 0}, new double[] {1, 1});
        assertEquals("normalization for 2 channels applied to images [3, 1, 2]",
                assertThrows(IllegalArgumentException.class, () -> two.apply(new float[6], 0, RGB_1X2)).getMessage());
    }
}
