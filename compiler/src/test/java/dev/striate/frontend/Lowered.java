package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.passes.Verifier;
import java.util.List;

/** Test helpers: lower source text to a verified graph, or collect the diagnostics it causes. */
final class Lowered {
    static final String FILE = "m.cnn";

    private Lowered() {
    }

    /** Parses and lowers the file's only model, verifying the graph's invariants. */
    static Graph graph(String source) {
        return graph(source, null);
    }

    static Graph graph(String source, String model) {
        Graph g = Frontend.parse(source, FILE).model(model);
        return Verifier.verifyShaped(g);
    }

    /** The warnings a successful lowering reports, formatted. */
    static List<String> warnings(String source) {
        Diagnostics d = new Diagnostics();
        Verifier.verifyShaped(Frontend.parse(source, FILE).model(null, d));
        return d.sorted().stream().map(Diagnostic::format).toList();
    }

    /** Every diagnostic of a failing parse or lowering, formatted and in source order. */
    static List<String> errors(String source) {
        return errors(source, null);
    }

    static List<String> errors(String source, String model) {
        CompileException e = assertThrows(CompileException.class, () -> Frontend.parse(source, FILE).model(model));
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    /** {@code name:kind:shape} of every node, for compact assertions. */
    static List<String> summary(Graph g) {
        return g.nodes().stream().map(Lowered::summary).toList();
    }

    static String summary(Node n) {
        return n.name() + ":" + n.op().kind() + ":" + n.shape();
    }

    /** Wraps statements in a model with a {@code [1, 28, 28]} input named x. */
    static String model(String... lines) {
        return "model M {\n    input x: [1, 28, 28]\n" + String.join("\n", lines.length == 0 ? new String[0]
                : prefix(lines)) + "\n}\n";
    }

    private static String[] prefix(String[] lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            out[i] = "    " + lines[i];
        }
        return out;
    }
}
