import java.util.Arrays;

/** Cook-Toom transforms of other tile sizes and points, and their accuracy in scalar float. */
final class PointSets {
    private PointSets() {
    }

    /**
     * Cook-Toom matrices of F(m, 3) for the finite points {@code p} (m + 1 of them) plus infinity:
     * {@code {A^T (m x n), G (n x 3), B^T (n x n)}}, n = m + 2. {@code A^T[i][j] = p_j^i} and {@code G[j][k] = p_j^k}
     * (Vandermonde evaluation, the infinity column/row picking the top coefficient), {@code B^T} the transposed
     * inverse of the n x n evaluation matrix (interpolation); each row j of {@code B^T} is then scaled by
     * {@code N_j = prod (p_j - p_l)} and row j of {@code G} divided by it (Lavin's form: small integers in B^T).
     */
    static double[][][] cookToom(int m, double[] p) {
        int n = m + 2;
        double[][] at = new double[m][n];
        double[][] g = new double[n][3];
        double[][] v = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                v[j][i] = j < n - 1 ? Math.pow(p[j], i) : i == n - 1 ? 1 : 0;
            }
            for (int i = 0; i < m; i++) {
                at[i][j] = j < n - 1 ? Math.pow(p[j], i) : i == m - 1 ? 1 : 0;
            }
            for (int k = 0; k < 3; k++) {
                g[j][k] = j < n - 1 ? Math.pow(p[j], k) : k == 2 ? 1 : 0;
            }
        }
        double[][] inv = invert(v);
        double[][] bt = new double[n][n];
        for (int j = 0; j < n; j++) {
            double nj = 1;
            for (int l = 0; l < n - 1; l++) {
                if (j < n - 1 && l != j) {
                    nj *= p[j] - p[l];
                }
            }
            for (int l = 0; l < n; l++) {
                bt[j][l] = inv[l][j] * nj;
            }
            for (int k = 0; k < 3; k++) {
                g[j][k] /= nj;
            }
        }
        return new double[][][] {at, g, bt};
    }

    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** {@code sum_j mat[i][j] * in[j]} in float, skipping zeros, left to right. */
    static float[] apply(double[][] mat, float[] in) {
        float[] out = new float[mat.length];
        for (int i = 0; i < mat.length; i++) {
            float s = 0;
            for (int j = 0; j < in.length; j++) {
                if (mat[i][j] != 0) {
                    s += (float) mat[i][j] * in[j];
                }
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * Scalar float Winograd F(m x m, 3x3) with the given matrices (transforms in float, weights transformed in
     * double, each GEMM sum a float fma chain over the channels in order, as the vector kernels): for accuracy
     * only.
     */
    static float[] scalarWinograd(Layer l, double[][][] mats) {
        double[][] at = mats[0];
        double[][] g = mats[1];
        double[][] bt = mats[2];
        int m = at.length;
        int n = m + 2;
        int th = (l.h + m - 1) / m;
        int tw = (l.w + m - 1) / m;
        int c = l.c;
        float[][][] u = new float[n * n][l.f][c];
        for (int o = 0; o < l.f; o++) {
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < 3; p++) {
                            for (int q = 0; q < 3; q++) {
                                s += g[i][p] * l.weights[(o * c + ci) * 9 + p * 3 + q] * g[j][q];
                            }
                        }
                        u[i * n + j][o][ci] = (float) s;
                    }
                }
            }
        }
        float[] y = new float[l.h * l.w * l.f];
        float[][] v = new float[n * n][c];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                for (int ci = 0; ci < c; ci++) {
                    float[][] d = new float[n][n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            int iy = ty * m + i - 1;
                            int ix = tx * m + j - 1;
                            d[i][j] = iy >= 0 && iy < l.h && ix >= 0 && ix < l.w ? l.x[(iy * l.w + ix) * c + ci] : 0f;
                        }
                    }
                    float[][] cols = new float[n][];
                    for (int j = 0; j < n; j++) {
                        float[] col = new float[n];
                        for (int i = 0; i < n; i++) {
                            col[i] = d[i][j];
                        }
                        cols[j] = apply(bt, col);              // cols[j][i] = (B^T d)[i][j]
                    }
                    for (int i = 0; i < n; i++) {
                        float[] row = new float[n];
                        for (int j = 0; j < n; j++) {
                            row[j] = cols[j][i];
                        }
                        float[] r = apply(bt, row);
                        for (int j = 0; j < n; j++) {
                            v[i * n + j][ci] = r[j];
                        }
                    }
                }
                for (int o = 0; o < l.f; o++) {
                    float[][] mm = new float[n][n];
                    for (int xi = 0; xi < n * n; xi++) {
                        float s = 0;
                        for (int ci = 0; ci < c; ci++) {
                            s = Math.fma(v[xi][ci], u[xi][o][ci], s);
                        }
                        mm[xi / n][xi % n] = s;
                    }
                    float[][] cols = new float[n][];
                    for (int j = 0; j < n; j++) {
                        float[] col = new float[n];
                        for (int i = 0; i < n; i++) {
                            col[i] = mm[i][j];
                        }
                        cols[j] = apply(at, col);
                    }
                    for (int i = 0; i < m; i++) {
                        float[] row = new float[n];
                        for (int j = 0; j < n; j++) {
                            row[j] = cols[j][i];
                        }
                        float[] r = apply(at, row);
                        for (int j = 0; j < m; j++) {
                            int oy = ty * m + i;
                            int ox = tx * m + j;
                            if (oy < l.h && ox < l.w) {
                                y[(oy * l.w + ox) * l.f + o] = Math.max(0f, r[j] + l.bias[o]);
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** The error of F(3), F(4), F(6) with the point sets {@link #WinogradProbe.SETS} (scalar float), on the given layers. */
    static void pointSets(Layer[] layers) {
        Object[][] sets = WinogradProbe.SETS;
        System.out.printf("%n== accuracy by tile size and points (scalar float Winograd, same summation order)%n");
        for (Layer l : layers) {
            double[] ref = Layer.reference(l, WinogradProbe.toDouble(l.x));
            for (Object[] set : sets) {
                int m = (Integer) set[0];
                double[] p = (double[]) set[1];
                double[] e = WinogradProbe.errors(scalarWinograd(l, cookToom(m, p)), ref);
                System.out.printf("  %-24s F(%dx%d,3x3) points %-28s max abs %.2e  max rel %.2e  worst err/tol %.3f%n",
                        l.name, m, m, Arrays.toString(p), e[0], e[1], e[2]);
            }
        }
    }
}
