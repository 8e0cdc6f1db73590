package dev.striate.frontend.lower;

import dev.striate.diag.SourcePos;
import dev.striate.frontend.ast.Ident;
import dev.striate.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A graph node while a model is being lowered: an input or a checked layer call, with its
 * inputs first as references (another node, or a name to resolve) and then as node ids.
 */
final class PendingNode {
    /** Where a node's input comes from before names are resolved. */
    sealed interface Ref {
        /** A node known directly: the previous value, or the call before in a chain. */
        record ToNode(int id) implements Ref {
        }

        /** A value name, read as of statement {@code statement}. */
        record ToName(Ident name, int statement) implements Ref {
        }
    }

    final int id;
    final int statement;
    final String kind;
    final SourcePos pos;
    /** The input's shape (inputs only). */
    final Shape inputShape;
    /** The op's signature and bound arguments (layers only; null if the call was wrong). */
    final OpSignature signature;
    final ArgBinder.Binding binding;
    final List<Ref> refs;
    final List<Integer> inputs = new ArrayList<>();
    String layerName;
    /** The value name this node was last assigned to, for messages (null when unnamed). */
    String valueName;

    PendingNode(int id, int statement, String kind, SourcePos pos, Shape inputShape, OpSignature signature,
                ArgBinder.Binding binding, List<Ref> refs) {
        this.id = id;
        this.statement = statement;
        this.kind = kind;
        this.pos = pos;
        this.inputShape = inputShape;
        this.signature = signature;
        this.binding = binding;
        this.refs = List.copyOf(refs);
    }

    boolean isInput() {
        return inputShape != null;
    }

    /** How the node is named in messages: {@code 'stem' (relu_1)} or {@code relu_1}. */
    String describe() {
        if (isInput()) {
            return "input '" + layerName + "'";
        }
        return valueName != null ? "value '" + valueName + "' (" + layerName + ")" : "the result of " + layerName;
    }
}
