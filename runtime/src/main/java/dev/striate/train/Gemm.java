package dev.striate.train;

/**
 * Single-precision matrix products for generated trainers: {@code C = A B} or {@code C += A B}
 * with {@code A [m x k]}, {@code B [k x n]} read through strides (so a transposed operand is
 * just other strides) and {@code C [m x n]} row-major with row stride {@code cRow}.
 *
 * <p>Two kernels compute the same products: a register-blocked kernel of fused multiply-adds on
 * the JDK's Vector API ({@link VectorGemm}) and a plain-Java kernel whose inner loops HotSpot
 * vectorizes; {@link VectorModule#KERNEL} says which one runs (and how it is chosen). Both add the
 * products over {@code k} in ascending order, but they round differently (fused or not), so a run
 * is reproducible bit for bit on the same kernel.
 *
 * <p>An instance owns packing buffers that grow to the largest product it has seen: one per
 * thread, never shared.
 */
public final class Gemm {
    private static final boolean VECTOR = VectorModule.KERNEL.equals("vector");

    /** Depth of one packed block: operands are packed and multiplied {@code KC} products at a time. */
    static final int KC = 512;

    /** A of {@link #setA}, packed (vector kernel). */
    float[] packA = new float[0];
    /** B of {@link #setB}, packed (vector kernel). */
    float[] packB = new float[0];
    /** One packed panel of B in {@link #multiplyByA}, of A in {@link #multiplyByB}. */
    float[] panelB = new float[0];
    float[] panelA = new float[0];
    float[] tile = new float[0];
    /** One block of B packed whole for a tall A ({@code VectorGemm.multiplyTall}). */
    float[] blockB = new float[0];
    private float[][] rowsB = new float[0][];
    private final boolean vector;
    private int m;
    private int k;
    float[] a;
    int aOff;
    int aRow;
    int aCol;
    /** The vector kernel reads A in place (rows contiguous, or any strides after {@link #setAInPlace}) instead of a packed copy. */
    boolean aDirect;
    private int bk;
    private int bn;
    private float[] b;
    private int bOff;
    private int bRow;
    private int bCol;
    private float[] rowC = new float[0];
    /** {@link Winograd}'s buffers: U, V, M, the padded HWC input, the HWC output, a zero bias. */
    float[] winoU = new float[0];
    float[] winoV = new float[0];
    float[] winoM = new float[0];
    float[] winoPlane = new float[0];
    float[] winoOut = new float[0];
    float[] winoBias = new float[0];
    /** The vector weight transform's scratch ({@code T = G g} of a vector of filters) and its gather distances. */
    float[] winoT = new float[0];
    int[] winoMap = new int[0];
    /** The vector gradient transform's gather distances (one output plane per lane). */
    int[] winoGradMap = new int[0];

    /** True when this workspace runs the vector kernel (then {@link Winograd}'s transforms run on it too). */
    boolean vector() {
        return vector;
    }

    /** A workspace running {@link VectorModule#KERNEL}. */
    public Gemm() {
        this(VECTOR);
    }

    /** A workspace running the vector kernel or the plain one (tests compare both). */
    Gemm(boolean vector) {
        if (vector && !VectorModule.loaded()) {
            throw new IllegalStateException("the vector kernel needs java " + VectorModule.ADD_MODULES);
        }
        this.vector = vector;
    }

    /**
     * {@code C (+)= A B}: {@code a(i, p) = a[aOff + i * aRow + p * aCol]},
     * {@code b(p, j) = b[bOff + p * bRow + j * bCol]}, {@code c(i, j) = c[cOff + i * cRow + j]}; with
     * {@code accumulate} false C is overwritten.
     */
    public void multiply(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                         float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        if (vector && aCol == 1 && bRow == 1 && m > 0 && n > 0 && VectorGemm.dots(n, k)) {
            // A's rows and B's columns contiguous, C narrow: dot products (e.g. a first layer's weight gradient)
            VectorGemm.multiplyDots(this, m, n, k, a, aOff, aRow, b, bOff, bCol, c, cOff, cRow, accumulate);
            return;
        }
        setA(m, k, a, aOff, aRow, aCol);
        multiplyByA(n, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
    }

    /**
     * Takes {@code A [m x k]} for the following {@link #multiplyByA} calls (the vector kernel packs it
     * once: for a weight matrix shared by every sample of a batch). A must not change in between.
     */
    public void setA(int m, int k, float[] a, int aOff, int aRow, int aCol) {
        if (m < 0 || k < 0) {
            throw new IllegalArgumentException("A is " + m + " x " + k);
        }
        this.m = m;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.aRow = aRow;
        this.aCol = aCol;
        this.aDirect = vector && aCol == 1;
        if (vector && !aDirect && m > 0 && k > 0) {
            VectorGemm.packA(this, m, k, a, aOff, aRow, aCol);
        }
    }

    /**
     * {@link #setA} for the vector kernel without packing: it reads A in place with these strides (e.g. A stored
     * transposed, {@code aRow == 1}: each step along the depth reads {@code MR} consecutive floats). For an A that
     * one product reads once per panel of B, where packing it would cost as much as the product saves.
     */
    void setAInPlace(int m, int k, float[] a, int aOff, int aRow, int aCol) {
        if (!vector) {
            throw new IllegalStateException("only the vector kernel reads A in place");
        }
        setA(m, k, a, aOff, aRow, 1);
        this.aCol = aCol;
    }

    /** {@code C (+)= A B} with the A of the last {@link #setA}. */
    public void multiplyByA(int n, float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            emptyProduct(m, n, c, cOff, cRow, accumulate);
            return;
        }
        if (vector) {
            VectorGemm.multiplyPacked(this, m, k, n, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
        } else {
            scalar(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
        }
    }

    /**
     * Takes {@code B [k x n]} for the following {@link #multiplyByB} calls (packed once by the vector
     * kernel: for a weight matrix shared by every sample). B must not change in between (A and B
     * are held independently).
     */
    public void setB(int k, int n, float[] b, int bOff, int bRow, int bCol) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("B is " + k + " x " + n);
        }
        this.bk = k;
        this.bn = n;
        this.b = b;
        this.bOff = bOff;
        this.bRow = bRow;
        this.bCol = bCol;
        if (vector && k > 0 && n > 0) {
            VectorGemm.packB(this, k, n, b, bOff, bRow, bCol);
        }
    }

    /** {@code C (+)= A B} with the B of the last {@link #setB}. */
    public void multiplyByB(int m, float[] a, int aOff, int aRow, int aCol, float[] c, int cOff, int cRow, boolean accumulate) {
        if (m <= 0 || bn <= 0) {
            return;
        }
        if (bk <= 0) {
            emptyProduct(m, bn, c, cOff, cRow, accumulate);
            return;
        }
        if (vector) {
            VectorGemm.multiplyPackedB(this, m, bk, bn, a, aOff, aRow, aCol, c, cOff, cRow, accumulate);
        } else {
            scalar(m, bn, bk, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
        }
    }

    /** {@code buffer} when it holds {@code size} floats, else a new array of that size. */
    static float[] atLeast(float[] buffer, int size) {
        return buffer.length < size ? new float[size] : buffer;
    }

    /** A product over an empty depth: C is zero, or unchanged when accumulating. */
    private static void emptyProduct(int m, int n, float[] c, int cOff, int cRow, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * cRow, cOff + i * cRow + n, 0f);
            }
        }
    }

    /**
     * The plain kernel: its loops run along rows of C, so a product with short rows (n < 16) and
     * more of them runs transposed, {@code C^T = B^T A^T}, along C's columns instead (the same sums,
     * term for term).
     */
    private void scalar(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                        float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        if (n < 16 && m > n) {
            scalarRows(n, m, k, b, bOff, bCol, bRow, a, aOff, aCol, aRow, c, cOff, 1, cRow, accumulate);
        } else {
            scalarRows(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, 1, accumulate);
        }
    }

    /**
     * Row by row: {@code rowC[j] += sum of four a(i, p) b(p, j)} over rows of B packed as arrays;
     * {@code c(i, j) = c[cOff + i * cRow + j * cCol]}.
     */
    private void scalarRows(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                            float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, int cCol,
                            boolean accumulate) {
        int kcMax = Math.min(k, KC);
        if (rowsB.length < kcMax || rowsB[0].length < n) {
            rowsB = new float[Math.max(rowsB.length, kcMax)][Math.max(n, rowsB.length > 0 ? rowsB[0].length : 0)];
        }
        if (rowC.length < n) {
            rowC = new float[n];
        }
        final float[] acc = rowC;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int p = 0; p < kc; p++) {
                float[] row = rowsB[p];
                int at = bOff + (p0 + p) * bRow;
                if (bCol == 1) {
                    System.arraycopy(b, at, row, 0, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        row[j] = b[at + j * bCol];
                    }
                }
            }
            boolean add = accumulate || p0 > 0;
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * cRow;
                if (!add) {
                    java.util.Arrays.fill(acc, 0, n, 0f);
                } else if (cCol == 1) {
                    System.arraycopy(c, ci, acc, 0, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        acc[j] = c[ci + j * cCol];
                    }
                }
                int ai = aOff + i * aRow + p0 * aCol;
                int p = 0;
                for (; p + 3 < kc; p += 4) {
                    float a0 = a[ai + p * aCol];
                    float a1 = a[ai + (p + 1) * aCol];
                    float a2 = a[ai + (p + 2) * aCol];
                    float a3 = a[ai + (p + 3) * aCol];
                    axpy4(acc, n, a0, rowsB[p], a1, rowsB[p + 1], a2, rowsB[p + 2], a3, rowsB[p + 3]);
                }
                for (; p < kc; p++) {
                    float a0 = a[ai + p * aCol];
                    final float[] r0 = rowsB[p];
                    for (int j = 0; j < n; j++) {
                        acc[j] += a0 * r0[j];
                    }
                }
                if (cCol == 1) {
                    System.arraycopy(acc, 0, c, ci, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        c[ci + j * cCol] = acc[j];
                    }
                }
            }
        }
    }

    /** {@code acc[j] += a0 r0[j] + a1 r1[j] + a2 r2[j] + a3 r3[j]}: one loop C2 vectorizes on its own. */
    private static void axpy4(float[] acc, int n, float a0, float[] r0, float a1, float[] r1, float a2, float[] r2,
                              float a3, float[] r3) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
    }
}
