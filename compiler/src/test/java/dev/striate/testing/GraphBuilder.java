package dev.striate.testing;

import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.ir.Input;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import dev.striate.ir.ParamSpec;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import dev.striate.weights.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds shaped IR graphs with bound weights for tests, without the parser: add nodes in order,
 * shapes are inferred with {@link Op#inferShape}, and every parameter gets seeded random values
 * (scaled by 1/sqrt(fan-in); batch-norm variances positive) unless set with {@link #weight}.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("Tiny", 42);
 * String x = b.input(Shape.chw(1, 6, 6));
 * String y = b.add("conv", new Conv2d(...), x);
 * Graph g = b.build(y);
 * }</pre>
 */
public final class GraphBuilder {
    private final String name;
    private final Random random;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Map<String, Tensor> weights = new LinkedHashMap<>();
    private final List<String> labels = new ArrayList<>();
    private String output;

    public GraphBuilder(String name, long seed) {
        this.name = name;
        this.random = new Random(seed);
    }

    /** Adds the model input {@code x} (or another name when called again). */
    public String input(Shape shape) {
        return input(nodes.isEmpty() ? "x" : "x" + nodes.size(), shape);
    }

    public String input(String nodeName, Shape shape) {
        return add(nodeName, new Input(shape));
    }

    /** Adds a node reading {@code inputs}; returns its name. Throws if the shapes do not fit. */
    public String add(String nodeName, Op op, String... inputs) {
        List<Shape> in = new ArrayList<>();
        for (String i : inputs) {
            Shape s = shapes.get(i);
            if (s == null) {
                throw new IllegalArgumentException("unknown node " + i);
            }
            in.add(s);
        }
        Shape out;
        try {
            out = op.inferShape(in);
        } catch (ShapeException e) {
            throw new IllegalArgumentException(nodeName + ": " + e.getMessage(), e);
        }
        nodes.add(new Node(nodeName, op, List.of(inputs), out, new SourcePos("test.cnn", nodes.size() + 1, 1)));
        shapes.put(nodeName, out);
        for (ParamSpec p : op.params(in)) {
            String key = nodeName + "." + p.name();
            weights.put(key, new Tensor(key, p.shape().dims(), randomValues(p)));
        }
        return nodeName;
    }

    /** Replaces the values of {@code layer.param}; the length must match its shape. */
    public GraphBuilder weight(String key, float... values) {
        Tensor old = weights.get(key);
        if (old == null) {
            throw new IllegalArgumentException("no parameter " + key);
        }
        weights.put(key, new Tensor(key, old.shape(), values.clone()));
        return this;
    }

    public GraphBuilder labels(String... names) {
        labels.addAll(List.of(names));
        return this;
    }

    /** Remembers the output node for {@link #build()}. */
    public GraphBuilder output(String nodeName) {
        this.output = nodeName;
        return this;
    }

    /** The output set with {@link #output(String)}. */
    public String output() {
        return output;
    }

    /** The graph with the remembered output. */
    public Graph build() {
        return build(output);
    }

    public Shape shape(String nodeName) {
        return shapes.get(nodeName);
    }

    /** The graph with {@code output} as its single output. */
    public Graph build(String output) {
        return new Graph(name, nodes, List.of(output), labels, weights);
    }

    /** The graph with several outputs (for tests of rejection). */
    public Graph buildWithOutputs(String... outputs) {
        return new Graph(name, nodes, List.of(outputs), labels, weights);
    }

    /** Seeded uniform values in [-1, 1). */
    public float[] randomInput(int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    private float[] randomValues(ParamSpec p) {
        int[] d = p.shape().dims();
        float[] v = new float[p.shape().size()];
        int fanIn = 1;
        for (int i = 1; i < d.length; i++) {
            fanIn *= d[i];
        }
        double scale = d.length > 1 ? 1.0 / Math.sqrt(fanIn) : 0.5;
        for (int i = 0; i < v.length; i++) {
            double u = random.nextDouble() * 2 - 1;
            switch (p.name()) {
                case "running_var", "weight" -> v[i] = (float) (p.name().equals("weight") && d.length > 1
                        ? u * scale : 1 + 0.5 * u);
                default -> v[i] = (float) (u * scale);
            }
        }
        return v;
    }
}
