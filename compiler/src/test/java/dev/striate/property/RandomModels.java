package dev.striate.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Draws random <em>valid</em> models as {@code .cnn} text: a chain of 1 to 7 steps over the
 * supported ops, each picked among those valid for the current shape, with random but consistent
 * arguments (kernels that fit, groups that divide, paddings PyTorch accepts...), sometimes a
 * residual {@code add} or a {@code concat} branch. Shapes stay small so that each model compiles
 * and runs in milliseconds.
 */
final class RandomModels {
    private static final String[] ACTIVATIONS = {"linear", "relu", "sigmoid", "tanh", "leaky_relu(0.2)", "elu(0.5)"};

    private final Random random;
    private final StringBuilder body = new StringBuilder();
    private final List<String> steps = new ArrayList<>();
    private int values;
    private String last;
    /** The current value's shape: {c, h, w} for a feature map, {n} for a vector. */
    private int[] shape;

    private RandomModels(Random random) {
        this.random = random;
    }

    /** A random model named {@code name}; its text, and a one-line description of its steps. */
    static Model draw(Random random, String name) {
        return new RandomModels(random).model(name);
    }

    record Model(String name, String source, String steps) {
        @Override
        public String toString() {
            return steps + "\n" + source;
        }
    }

    private Model model(String name) {
        if (random.nextInt(5) == 0) {
            shape = new int[] {1 + random.nextInt(24)};
            body.append("    input x: [").append(shape[0]).append("]\n");
        } else {
            shape = new int[] {1 + random.nextInt(4), 3 + random.nextInt(10), 3 + random.nextInt(10)};
            body.append("    input x: [").append(shape[0]).append(", ").append(shape[1]).append(", ")
                    .append(shape[2]).append("]\n");
        }
        last = "x";
        int count = 1 + random.nextInt(7);
        for (int i = 0; i < count; i++) {
            if (shape.length == 3) {
                mapStep();
            } else {
                vectorStep();
            }
        }
        body.append("    output ").append(last).append('\n');
        String source = "model " + name + " {\n" + body + "}\n";
        return new Model(name, source, String.join(" -> ", steps));
    }

    private void mapStep() {
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        switch (random.nextInt(18)) {
            case 0, 1, 2 -> conv(c, h, w);
            case 3 -> depthwise(c, h, w);
            case 4 -> convTranspose(c, h, w);
            case 5, 16 -> pool(h, w);
            case 6 -> emit(pick("globalavgpool", "globalmaxpool"), "", new int[] {c});
            case 7 -> emit("flatten", "", new int[] {c * h * w});
            case 8 -> emit("batchnorm", random.nextBoolean() ? "" : "epsilon=0.001", shape);
            case 9 -> activation(c);
            case 10 -> {
                int pieces = divisorOf(c);
                emit("maxout", String.valueOf(pieces), new int[] {c / pieces, h, w});
            }
            case 11 -> {
                if (h > 12 || w > 12) {
                    emit("dropout", "rate=0.25", shape);
                    return;
                }
                if (c % 4 != 0) {
                    emit("conv2d", "4, kernel=1", new int[] {4, h, w});
                }
                emit("pixel_shuffle", "2", new int[] {shape[0] / 4, h * 2, w * 2});
            }
            case 12 -> {
                int[] p = {random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3)};
                emit("pad", "[" + p[0] + ", " + p[1] + ", " + p[2] + ", " + p[3] + "]",
                        new int[] {c, h + p[0] + p[1], w + p[2] + p[3]});
            }
            case 13 -> {
                StringBuilder mean = new StringBuilder("[");
                StringBuilder std = new StringBuilder("[");
                for (int i = 0; i < c; i++) {
                    mean.append(i == 0 ? "" : ", ").append(number(-0.5, 0.5));
                    std.append(i == 0 ? "" : ", ").append(number(0.25, 2));
                }
                emit("normalize", "mean=" + mean + "], std=" + std + "]", shape);
            }
            case 14 -> emit("rescale", number(-2, 2) + ", offset=" + number(-1, 1), shape);
            case 15 -> residual(c);
            default -> concat(c, h, w);
        }
    }

    private void vectorStep() {
        int n = shape[0];
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                int units = 1 + random.nextInt(12);
                emit("dense", units + ", bias=" + random.nextBoolean() + ", activation=" + activationArg(units),
                        new int[] {units});
            }
            case 3 -> emit("batchnorm", "", shape);
            case 4 -> activation(n);
            case 5 -> {
                int pieces = divisorOf(n);
                emit("maxout", String.valueOf(pieces), new int[] {n / pieces});
            }
            case 6 -> emit("rescale", number(-2, 2), shape);
            default -> emit("dropout", "", shape);
        }
    }

    private void conv(int c, int h, int w) {
        int groups = random.nextInt(3) == 0 ? divisorOf(c) : 1;
        int filters = groups * (1 + random.nextInt(Math.max(1, 6 / groups)));
        int k = 1 + random.nextInt(Math.min(5, Math.min(h, w) + 2));
        int stride = 1 + random.nextInt(2);
        int dilation = k > 1 && random.nextInt(4) == 0 ? 2 : 1;
        String padding;
        int[] out;
        if (random.nextInt(3) == 0) {
            padding = "same";
            out = new int[] {filters, ceilDiv(h, stride), ceilDiv(w, stride)};
        } else {
            int p = random.nextInt(k / 2 + 1);
            padding = String.valueOf(p);
            out = new int[] {filters, window(h, k, stride, p, dilation), window(w, k, stride, p, dilation)};
        }
        if (out[1] < 1 || out[2] < 1) {
            k = 1;
            dilation = 1;
            padding = "0";
            out = new int[] {filters, window(h, 1, stride, 0, 1), window(w, 1, stride, 0, 1)};
        }
        emit("conv2d", filters + ", kernel=" + k + ", stride=" + stride + ", padding=" + padding
                + ", dilation=" + dilation + ", groups=" + groups + ", bias=" + random.nextBoolean()
                + ", activation=" + activationArg(filters), out);
    }

    private void depthwise(int c, int h, int w) {
        int k = 1 + random.nextInt(Math.min(3, Math.min(h, w)));
        int multiplier = 1 + random.nextInt(2);
        int p = random.nextInt(k / 2 + 1);
        emit("depthwise_conv2d", "kernel=" + k + ", multiplier=" + multiplier + ", padding=" + p,
                new int[] {c * multiplier, window(h, k, 1, p, 1), window(w, k, 1, p, 1)});
    }

    private void convTranspose(int c, int h, int w) {
        int groups = random.nextInt(3) == 0 ? divisorOf(c) : 1;
        int filters = groups * (1 + random.nextInt(Math.max(1, 4 / groups)));
        int k = 1 + random.nextInt(3);
        int stride = 1 + random.nextInt(2);
        int p = random.nextInt((k - 1) / 2 + 1);
        int op = random.nextInt(stride);
        int oh = (h - 1) * stride - 2 * p + (k - 1) + op + 1;
        int ow = (w - 1) * stride - 2 * p + (k - 1) + op + 1;
        if (oh > 24 || ow > 24) {
            activation(c);
            return;
        }
        emit("conv_transpose2d", filters + ", kernel=" + k + ", stride=" + stride + ", padding=" + p
                + ", output_padding=" + op + ", groups=" + groups, new int[] {filters, oh, ow});
    }

    private void pool(int h, int w) {
        int size = 1 + random.nextInt(Math.min(3, Math.min(h, w)));
        int stride = 1 + random.nextInt(size);
        int p = random.nextInt(size / 2 + 1);
        boolean max = random.nextBoolean();
        String extra = !max && random.nextBoolean() ? ", count_include_pad=false" : "";
        emit(max ? "maxpool" : "avgpool", size + ", stride=" + stride + ", padding=" + p + extra,
                new int[] {shape[0], window(h, size, stride, p, 1), window(w, size, stride, p, 1)});
    }

    private void activation(int channels) {
        String a = activationArg(channels);
        emit(a.startsWith("leaky_relu") ? "leaky_relu" : a.startsWith("elu") ? "elu" : a,
                a.startsWith("leaky_relu") ? "alpha=0.1" : a.startsWith("elu") ? "alpha=0.7" : "", shape);
    }

    /** A residual block: a same-shaped convolution of the current value, added to it. */
    private void residual(int c) {
        String in = last;
        emit("conv2d", c + ", kernel=3, padding=same, activation=" + activationArg(c), shape);
        String branch = last;
        next("add", in + ", " + branch, shape);
    }

    /** An inception-like join: a 1x1 convolution of the current value, concatenated with it. */
    private void concat(int c, int h, int w) {
        String in = last;
        int filters = 1 + random.nextInt(3);
        emit("conv2d", filters + ", kernel=1", new int[] {filters, h, w});
        String branch = last;
        next("concat", in + ", " + branch, new int[] {c + filters, h, w});
    }

    private String activationArg(int channels) {
        if (channels > 1 && random.nextInt(7) == 0) {
            return "softmax";
        }
        return ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
    }

    /** Appends {@code vN = op(last, args)}. */
    private void emit(String op, String args, int[] out) {
        next(op, args.isEmpty() ? last : last + ", " + args, out);
    }

    private void next(String op, String args, int[] out) {
        String name = "v" + (++values);
        body.append("    ").append(name).append(" = ").append(op).append('(').append(args).append(")\n");
        steps.add(op + java.util.Arrays.toString(out));
        last = name;
        shape = out;
    }

    private int divisorOf(int n) {
        List<Integer> divisors = new ArrayList<>();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                divisors.add(d);
            }
        }
        return divisors.get(random.nextInt(divisors.size()));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String number(double lo, double hi) {
        return String.format(Locale.ROOT, "%.3f", lo + random.nextDouble() * (hi - lo));
    }

    private static int window(int size, int k, int stride, int pad, int dilation) {
        return Math.floorDiv(size + 2 * pad - dilation * (k - 1) - 1, stride) + 1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
