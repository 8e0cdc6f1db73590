package com.example;

/** Main code: it cannot see the test model's class. */
public final class Pixels {
    private Pixels() {
    }

    /** A 3x3 image with the values 1 to 9, row by row. */
    public static float[] ramp() {
        float[] image = new float[9];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        return image;
    }
}
