/** A convolution implementation prepared for one layer (weights packed or transformed once). */
interface Conv {
    String name();

    void run(float[] x, float[] y);
}
