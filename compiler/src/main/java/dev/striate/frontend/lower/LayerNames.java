package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every layer the name that keys its weights: {@code name="..."}, or Keras-like
 * {@code <op>_<n>} counted per op name in source order from 1 (only auto-named layers count).
 * Inputs keep their names. Reports names used twice.
 */
final class LayerNames {
    private LayerNames() {
    }

    static void assign(List<PendingNode> nodes, Set<String> valueNames, Diagnostics diagnostics) {
        Map<String, Integer> counters = new HashMap<>();
        Map<String, SourcePos> taken = new HashMap<>();
        for (PendingNode n : nodes) {
            SourcePos at = n.pos;
            if (n.isInput()) {
                SourcePos before = taken.putIfAbsent(n.layerName, at);
                if (before != null) {
                    diagnostics.error(ErrorCode.DUPLICATE_NAME, at, "'" + n.layerName + "' is already used at line "
                            + before.line() + "; inputs need distinct names");
                }
                continue;
            }
            if (n.binding != null && n.binding.layerName() != null) {
                n.layerName = n.binding.layerName();
                at = n.binding.layerNamePos();
            } else {
                int count = counters.merge(n.kind, 1, Integer::sum);
                n.layerName = n.kind + "_" + count;
            }
            SourcePos before = taken.putIfAbsent(n.layerName, at);
            if (before != null) {
                diagnostics.error(ErrorCode.DUPLICATE_NAME, at, "layer name '" + n.layerName
                        + "' is already used at line " + before.line() + "; weights are keyed by layer name");
            }
        }
    }
}
