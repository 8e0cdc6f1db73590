package dev.striate.passes;

import dev.striate.ir.Activation;
import dev.striate.ir.Conv2d;
import dev.striate.ir.ConvTranspose2d;
import dev.striate.ir.Dense;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Op;
import java.util.List;

/**
 * What the folding and fusing passes need to know about the weighted linear layers (conv2d,
 * conv_transpose2d, dense): their activation and bias, and copies with those changed.
 */
final class Layers {
    private Layers() {
    }

    /** True for conv2d, conv_transpose2d and dense. */
    static boolean isLinear(Op op) {
        return op instanceof Conv2d || op instanceof ConvTranspose2d || op instanceof Dense;
    }

    static Activation activation(Op op) {
        if (!isLinear(op)) {
            throw new IllegalArgumentException(op.kind() + " is not a linear layer");
        }
        return Activation.appliedBy(op);
    }

    static boolean hasBias(Op op) {
        if (op instanceof Conv2d c) {
            return c.bias();
        } else if (op instanceof ConvTranspose2d t) {
            return t.bias();
        } else if (op instanceof Dense d) {
            return d.bias();
        }
        throw new IllegalArgumentException(op.kind() + " is not a linear layer");
    }

    static Op withActivation(Op op, Activation a) {
        if (op instanceof Conv2d c) {
            return c.withActivation(a);
        } else if (op instanceof ConvTranspose2d t) {
            return new ConvTranspose2d(t.filters(), t.kernelH(), t.kernelW(), t.strideH(), t.strideW(), t.padH(),
                    t.padW(), t.outputPadH(), t.outputPadW(), t.dilationH(), t.dilationW(), t.groups(), t.bias(), a);
        } else if (op instanceof Dense d) {
            return d.withActivation(a);
        }
        throw new IllegalArgumentException(op.kind() + " is not a linear layer");
    }

    /** The same layer with a bias parameter (whose values the caller must bind). */
    static Op withBias(Op op) {
        if (op instanceof Conv2d c) {
            return new Conv2d(c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(),
                    c.dilationH(), c.dilationW(), c.groups(), true, c.activation());
        } else if (op instanceof ConvTranspose2d t) {
            return new ConvTranspose2d(t.filters(), t.kernelH(), t.kernelW(), t.strideH(), t.strideW(), t.padH(),
                    t.padW(), t.outputPadH(), t.outputPadW(), t.dilationH(), t.dilationW(), t.groups(), true,
                    t.activation());
        } else if (op instanceof Dense d) {
            return new Dense(d.units(), true, d.activation());
        }
        throw new IllegalArgumentException(op.kind() + " is not a linear layer");
    }

    /**
     * The one node reading {@code name}, or null when it has none or several readers, or when
     * {@code name} is a graph output (its value must stay visible).
     */
    static Node soleReader(Graph graph, String name) {
        if (graph.outputs().contains(name)) {
            return null;
        }
        List<Node> readers = graph.consumers(name);
        if (readers.size() != 1 || readers.get(0).inputs().stream().filter(name::equals).count() != 1) {
            return null;
        }
        return readers.get(0);
    }
}
