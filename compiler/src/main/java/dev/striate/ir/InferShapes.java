package dev.striate.ir;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes every node's shape from its inputs ({@link dev.striate.ir.Op#inferShape}) and reports
 * each shape error at the node's source position. Nodes downstream of an error are left unknown
 * and not reported again. Also enforces the hard size limits of {@link Sizes}: every value and
 * every weight tensor fits one Java array, and all weights fit one weights resource
 * ({@link ErrorCode#TOO_LARGE}), so later stages never overflow {@code int}.
 */
public final class InferShapes {
    private InferShapes() {
    }

    public static Graph run(Graph graph, Diagnostics diagnostics) {
        return run(graph, diagnostics, Map.of());
    }

    /**
     * As {@link #run(Graph, Diagnostics)}, naming each node's op in messages as the user wrote it
     * ({@code opNames}: node name to written op, e.g. {@code depthwise_conv2d} for a conv2d node).
     */
    public static Graph run(Graph graph, Diagnostics diagnostics, Map<String, String> opNames) {
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> out = new ArrayList<>();
        long totalParams = 0;
        boolean totalReported = false;
        for (Node n : graph.nodes()) {
            List<Shape> in = n.inputs().stream().map(i -> shapes.getOrDefault(i, Shape.UNKNOWN)).toList();
            String kind = n.op().kind();
            String written = opNames.getOrDefault(n.name(), kind);
            Shape shape = Shape.UNKNOWN;
            if (in.stream().allMatch(Shape::isKnown)) {
                try {
                    shape = n.op().inferShape(in);
                } catch (ShapeException e) {
                    String message = e.getMessage();
                    if (!written.equals(kind) && message.startsWith(kind)) {
                        message = written + message.substring(kind.length());
                    }
                    diagnostics.error(e.code(), n.pos(), message + " (layer " + n.name() + ")");
                } catch (ArithmeticException e) {
                    diagnostics.error(ErrorCode.TOO_LARGE, n.pos(), written + " cannot take "
                            + (in.size() == 1 ? in.get(0) : in) + ": a size of its output does not fit an int (at most " + Sizes.count(Integer.MAX_VALUE)
                            + "); " + Sizes.arrayLimit() + " (layer " + n.name() + ")");
                } catch (IllegalArgumentException | IllegalStateException e) {
                    diagnostics.error(ErrorCode.SHAPE_MISMATCH, n.pos(), written + " cannot take " + in
                            + ": the output would be empty (layer " + n.name() + ")");
                }
            }
            if (shape.isKnown() && !Sizes.fitsArray(shape)) {
                diagnostics.error(ErrorCode.TOO_LARGE, n.pos(), (in.isEmpty() ? "the input is " : written
                        + " would output ") + shape + ", "
                        + Sizes.count(Sizes.elements(shape.dims())) + " floats; " + Sizes.arrayLimit()
                        + " (layer " + n.name() + ")");
                shape = Shape.UNKNOWN;
            }
            if (shape.isKnown()) {
                long params = 0;
                for (ParamSpec p : n.op().params(in)) {
                    long size = Sizes.elements(p.shape().dims());
                    if (size > Sizes.MAX_ELEMENTS) {
                        diagnostics.error(ErrorCode.TOO_LARGE, n.pos(), written + ": its " + p.name() + " tensor "
                                + p.shape() + " would hold " + Sizes.count(size) + " floats; " + Sizes.arrayLimit()
                                + " (layer " + n.name() + ")");
                        shape = Shape.UNKNOWN;
                    }
                    params = Sizes.saturatingAdd(params, size);
                }
                totalParams = Sizes.saturatingAdd(totalParams, params);
                if (shape.isKnown() && totalParams > Sizes.MAX_TOTAL_PARAMS && !totalReported) {
                    diagnostics.error(ErrorCode.TOO_LARGE, n.pos(), "with " + written + " the model has "
                            + Sizes.count(totalParams) + " weights; a model may have at most "
                            + Sizes.count(Sizes.MAX_TOTAL_PARAMS) + " (its weights resource is read as one"
                            + " Java array) (layer " + n.name() + ")");
                    totalReported = true;
                }
            }
            shapes.put(n.name(), shape);
            out.add(n.withShape(shape));
        }
        return graph.withNodes(out);
    }
}
