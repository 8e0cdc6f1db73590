package dev.striate.testing;

import dev.striate.ir.Activate;
import dev.striate.ir.Activation;
import dev.striate.ir.Add;
import dev.striate.ir.BatchNorm;
import dev.striate.ir.Concat;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvPool;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Dropout;
import dev.striate.ir.Flatten;
import dev.striate.ir.GlobalPool;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Maxout;
import dev.striate.ir.Node;
import dev.striate.ir.Normalize;
import dev.striate.ir.OpVisitor;
import dev.striate.ir.Pad;
import dev.striate.ir.Padding;
import dev.striate.ir.PixelShuffle;
import dev.striate.ir.Pool2d;
import dev.striate.ir.Rescale;
import dev.striate.ir.Shape;
import dev.striate.ir.UntiedBias;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java interpreter of the IR with PyTorch's inference semantics: naive loops straight
 * from each op's definition, in double precision. The truth that generated code is compared with.
 */
public final class ReferenceInterpreter {
    private final Graph graph;

    public ReferenceInterpreter(Graph graph) {
        this.graph = graph;
    }

    /** Runs the single-input graph and returns its first output. */
    public static double[] run(Graph graph, float[] input) {
        return new ReferenceInterpreter(graph).runAll(input).get(graph.outputs().get(0));
    }

    /** Every node's value, by node name. */
    public Map<String, double[]> runAll(float[] input) {
        Map<String, double[]> values = new HashMap<>();
        for (Node n : graph.nodes()) {
            List<double[]> in = n.inputs().stream().map(values::get).toList();
            values.put(n.name(), eval(n, in, input));
        }
        return values;
    }

    private double[] eval(Node n, List<double[]> in, float[] input) {
        return n.op().accept(new Eval(n, in, graph.inputShapes(n), input));
    }

    /** One node's value: a visit per op kind, so a new op does not compile until it has a reference. */
    private final class Eval implements OpVisitor<double[]> {
        private final Node n;
        private final List<double[]> in;
        private final List<Shape> inShapes;
        private final Shape out;
        private final float[] input;

        Eval(Node n, List<double[]> in, List<Shape> inShapes, float[] input) {
            this.n = n;
            this.in = in;
            this.inShapes = inShapes;
            this.out = n.shape();
            this.input = input;
        }

        @Override
        public double[] visitInput(Input op) {
            double[] x = new double[input.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = input[i];
            }
            return x;
        }

        @Override
        public double[] visitConv2d(Conv2d c) {
            return activate(c.activation(), conv(n, c, in.get(0), inShapes.get(0), out), out);
        }

        @Override
        public double[] visitConvPool(ConvPool cp) {
            Shape mid = cp.convShape(inShapes.get(0));
            double[] y = activate(cp.conv().activation(), conv(n, cp.conv(), in.get(0), inShapes.get(0), mid), mid);
            return pool(cp.pool(), y, mid, out);
        }

        @Override
        public double[] visitConvTranspose2d(ConvTranspose2d c) {
            return activate(c.activation(), convTranspose(n, c, in.get(0), inShapes.get(0), out), out);
        }

        @Override
        public double[] visitPool2d(Pool2d p) {
            return pool(p, in.get(0), inShapes.get(0), out);
        }

        @Override
        public double[] visitGlobalPool(GlobalPool p) {
            return globalPool(p, in.get(0), inShapes.get(0));
        }

        @Override
        public double[] visitDense(Dense d) {
            return activate(d.activation(), dense(n, d, in.get(0), out), out);
        }

        @Override
        public double[] visitFlatten(Flatten op) {
            return in.get(0).clone();
        }

        @Override
        public double[] visitDropout(Dropout op) {
            return in.get(0).clone();
        }

        @Override
        public double[] visitBatchNorm(BatchNorm b) {
            return batchNorm(n, b, in.get(0), inShapes.get(0));
        }

        @Override
        public double[] visitActivate(Activate a) {
            return activate(a.activation(), in.get(0).clone(), out);
        }

        @Override
        public double[] visitMaxout(Maxout m) {
            return maxout(m, in.get(0), inShapes.get(0), out);
        }

        @Override
        public double[] visitAdd(Add op) {
            double[] y = new double[out.size()];
            for (double[] x : in) {
                for (int i = 0; i < y.length; i++) {
                    y[i] += x[i];
                }
            }
            return y;
        }

        @Override
        public double[] visitConcat(Concat op) {
            double[] y = new double[out.size()];
            int at = 0;
            for (double[] x : in) {
                System.arraycopy(x, 0, y, at, x.length);
                at += x.length;
            }
            return y;
        }

        @Override
        public double[] visitPixelShuffle(PixelShuffle p) {
            return pixelShuffle(p.factor(), in.get(0), inShapes.get(0), out);
        }

        @Override
        public double[] visitUntiedBias(UntiedBias u) {
            float[] bias = w(n, "bias");
            double[] x = in.get(0);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] + bias[i];
            }
            return y;
        }

        @Override
        public double[] visitPad(Pad p) {
            return pad(p.padding(), in.get(0), inShapes.get(0), out);
        }

        @Override
        public double[] visitNormalize(Normalize nz) {
            double[] x = in.get(0);
            double[] y = new double[x.length];
            int plane = x.length / inShapes.get(0).channels();
            for (int i = 0; i < x.length; i++) {
                int c = i / plane;
                y[i] = (x[i] - nz.meanOf(c)) / nz.stdOf(c);
            }
            return y;
        }

        @Override
        public double[] visitRescale(Rescale r) {
            double[] x = in.get(0);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] * r.scale() + r.offset();
            }
            return y;
        }
    }

    private float[] w(Node n, String param) {
        return graph.weight(n, param).data();
    }

    private double[] conv(Node n, Conv2d c, double[] x, Shape in, Shape out) {
        Padding.Explicit p = c.resolvedPadding(in);
        float[] w = w(n, "weight");
        float[] b = c.bias() ? w(n, "bias") : null;
        int cpg = in.channels() / c.groups();
        int fpg = c.filters() / c.groups();
        double[] y = new double[out.size()];
        for (int f = 0; f < out.channels(); f++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    double s = b == null ? 0 : b[f];
                    for (int icl = 0; icl < cpg; icl++) {
                        int ic = f / fpg * cpg + icl;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int iy = oy * c.strideH() - p.top() + ky * c.dilationH();
                                int ix = ox * c.strideW() - p.left() + kx * c.dilationW();
                                if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                    s += (double) w[((f * cpg + icl) * c.kernelH() + ky) * c.kernelW() + kx]
                                            * x[(ic * in.height() + iy) * in.width() + ix];
                                }
                            }
                        }
                    }
                    y[(f * out.height() + oy) * out.width() + ox] = s;
                }
            }
        }
        return y;
    }

    private double[] convTranspose(Node n, ConvTranspose2d c, double[] x, Shape in, Shape out) {
        float[] w = w(n, "weight");
        float[] b = c.bias() ? w(n, "bias") : null;
        int cpg = in.channels() / c.groups();
        int fpg = c.filters() / c.groups();
        double[] y = new double[out.size()];
        int plane = out.height() * out.width();
        for (int f = 0; f < out.channels(); f++) {
            for (int i = 0; i < plane; i++) {
                y[f * plane + i] = b == null ? 0 : b[f];
            }
        }
        for (int ic = 0; ic < in.channels(); ic++) {
            int g = ic / cpg;
            for (int iy = 0; iy < in.height(); iy++) {
                for (int ix = 0; ix < in.width(); ix++) {
                    double v = x[(ic * in.height() + iy) * in.width() + ix];
                    for (int fl = 0; fl < fpg; fl++) {
                        int f = g * fpg + fl;
                        for (int ky = 0; ky < c.kernelH(); ky++) {
                            for (int kx = 0; kx < c.kernelW(); kx++) {
                                int oy = iy * c.strideH() - c.padH() + ky * c.dilationH();
                                int ox = ix * c.strideW() - c.padW() + kx * c.dilationW();
                                if (oy >= 0 && oy < out.height() && ox >= 0 && ox < out.width()) {
                                    y[(f * out.height() + oy) * out.width() + ox] += v
                                            * w[((ic * fpg + fl) * c.kernelH() + ky) * c.kernelW() + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static double[] pool(Pool2d p, double[] x, Shape in, Shape out) {
        Padding.Explicit pad = p.resolvedPadding(in);
        double[] y = new double[out.size()];
        for (int c = 0; c < out.channels(); c++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < p.kernelH(); ky++) {
                        for (int kx = 0; kx < p.kernelW(); kx++) {
                            int iy = oy * p.strideH() - pad.top() + ky;
                            int ix = ox * p.strideW() - pad.left() + kx;
                            if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                double v = x[(c * in.height() + iy) * in.width() + ix];
                                max = Math.max(max, v);
                                sum += v;
                                count++;
                            }
                        }
                    }
                    int divisor = p.countIncludePad() ? p.kernelH() * p.kernelW() : count;
                    y[(c * out.height() + oy) * out.width() + ox] = p.poolKind() == Pool2d.Kind.MAX ? max : sum / divisor;
                }
            }
        }
        return y;
    }

    private static double[] globalPool(GlobalPool p, double[] x, Shape in) {
        int plane = in.height() * in.width();
        double[] y = new double[in.channels()];
        for (int c = 0; c < in.channels(); c++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                max = Math.max(max, x[c * plane + i]);
                sum += x[c * plane + i];
            }
            y[c] = p.poolKind() == Pool2d.Kind.MAX ? max : sum / plane;
        }
        return y;
    }

    private double[] dense(Node n, Dense d, double[] x, Shape out) {
        float[] w = w(n, "weight");
        float[] b = d.bias() ? w(n, "bias") : null;
        double[] y = new double[out.size()];
        for (int j = 0; j < y.length; j++) {
            double s = b == null ? 0 : b[j];
            for (int i = 0; i < x.length; i++) {
                s += (double) w[j * x.length + i] * x[i];
            }
            y[j] = s;
        }
        return y;
    }

    private double[] batchNorm(Node n, BatchNorm b, double[] x, Shape in) {
        float[] g = w(n, "weight");
        float[] beta = w(n, "bias");
        float[] mean = w(n, "running_mean");
        float[] var = w(n, "running_var");
        int plane = x.length / in.channels();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i / plane;
            y[i] = (x[i] - mean[c]) / Math.sqrt(var[c] + (double) b.epsilon()) * g[c] + beta[c];
        }
        return y;
    }

    private static double[] maxout(Maxout m, double[] x, Shape in, Shape out) {
        int plane = x.length / in.channels();
        double[] y = new double[out.size()];
        for (int j = 0; j < out.channels(); j++) {
            for (int i = 0; i < plane; i++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < m.pieces(); k++) {
                    best = Math.max(best, x[(j * m.pieces() + k) * plane + i]);
                }
                y[j * plane + i] = best;
            }
        }
        return y;
    }

    private static double[] pixelShuffle(int r, double[] x, Shape in, Shape out) {
        double[] y = new double[out.size()];
        for (int c = 0; c < out.channels(); c++) {
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    int ic = c * r * r + (oy % r) * r + ox % r;
                    y[(c * out.height() + oy) * out.width() + ox] = x[(ic * in.height() + oy / r) * in.width() + ox / r];
                }
            }
        }
        return y;
    }

    private static double[] pad(Padding.Explicit p, double[] x, Shape in, Shape out) {
        double[] y = new double[out.size()];
        for (int c = 0; c < in.channels(); c++) {
            for (int iy = 0; iy < in.height(); iy++) {
                for (int ix = 0; ix < in.width(); ix++) {
                    y[(c * out.height() + iy + p.top()) * out.width() + ix + p.left()] =
                            x[(c * in.height() + iy) * in.width() + ix];
                }
            }
        }
        return y;
    }

    /** Applies {@code a} in place; softmax runs over channels for each pixel. */
    static double[] activate(Activation a, double[] x, Shape shape) {
        if (a instanceof Activation.Softmax) {
            int channels = shape.channels();
            int plane = x.length / channels;
            for (int p = 0; p < plane; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < channels; c++) {
                    max = Math.max(max, x[c * plane + p]);
                }
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += Math.exp(x[c * plane + p] - max);
                }
                for (int c = 0; c < channels; c++) {
                    x[c * plane + p] = Math.exp(x[c * plane + p] - max) / sum;
                }
            }
            return x;
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (a instanceof Activation.Relu) {
                x[i] = Math.max(v, 0);
            } else if (a instanceof Activation.LeakyRelu l) {
                x[i] = v > 0 ? v : l.alpha() * v;
            } else if (a instanceof Activation.Elu e) {
                x[i] = v > 0 ? v : e.alpha() * (Math.exp(v) - 1);
            } else if (a instanceof Activation.Sigmoid) {
                x[i] = 1 / (1 + Math.exp(-v));
            } else if (a instanceof Activation.Tanh) {
                x[i] = Math.tanh(v);
            }
        }
        return x;
    }
}
