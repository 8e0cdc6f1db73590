package dev.striate.passes;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.ir.ShapeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes every node's shape from its inputs ({@link dev.striate.ir.Op#inferShape}) and reports
 * each shape error at the node's source position. Nodes downstream of an error are left unknown
 * and not reported again.
 */
public final class InferShapes {
    private InferShapes() {
    }

    public static Graph run(Graph graph, Diagnostics diagnostics) {
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            List<Shape> in = n.inputs().stream().map(i -> shapes.getOrDefault(i, Shape.UNKNOWN)).toList();
            Shape shape = Shape.UNKNOWN;
            if (in.stream().allMatch(Shape::isKnown)) {
                try {
                    shape = n.op().inferShape(in);
                } catch (ShapeException e) {
                    diagnostics.error(e.code(), n.pos(), e.getMessage() + " (layer " + n.name() + ")");
                } catch (ArithmeticException | IllegalArgumentException | IllegalStateException e) {
                    diagnostics.error(ErrorCode.SHAPE_MISMATCH, n.pos(), n.op().kind() + " cannot take " + in
                            + ": the output would be " + (e instanceof ArithmeticException ? "too large" : "empty")
                            + " (layer " + n.name() + ")");
                }
            }
            shapes.put(n.name(), shape);
            out.add(n.withShape(shape));
        }
        return graph.withNodes(out);
    }
}
