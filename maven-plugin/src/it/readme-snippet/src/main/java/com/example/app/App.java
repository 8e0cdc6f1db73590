package com.example.app;

/** Classifies the strip given on the command line with the generated model. */
public final class App {
    public static void main(String[] args) {
        float[] strip = {Float.parseFloat(args[0]), Float.parseFloat(args[1])};
        Side model = Side.load();
        float[] p = model.predict(strip);
        System.out.println("class " + model.classify(strip) + " p=" + p[0] + "," + p[1]);
    }
}
