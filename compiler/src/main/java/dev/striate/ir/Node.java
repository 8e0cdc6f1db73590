package dev.striate.ir;

import dev.striate.diag.SourcePos;
import java.util.List;

/**
 * One value of the graph: the op that computes it, the names of the nodes it reads, its
 * shape (or {@link Shape#UNKNOWN} before shape inference) and where the source defines it.
 * {@link #name()} is the layer name that keys the node's weights ({@code conv2d_1}).
 */
public record Node(String name, Op op, List<String> inputs, Shape shape, SourcePos pos) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    public Node withShape(Shape s) {
        return new Node(name, op, inputs, s, pos);
    }

    public Node withOp(Op o) {
        return new Node(name, o, inputs, shape, pos);
    }

    public Node withInputs(List<String> in) {
        return new Node(name, op, in, shape, pos);
    }

    /** The weights-file key of one of this node's parameters, e.g. {@code conv2d_1.weight}. */
    public String paramKey(String param) {
        return name + "." + param;
    }
}
