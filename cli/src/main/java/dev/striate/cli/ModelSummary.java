package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.backend.ClassFootprint;
import dev.striate.diag.CompileException;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keras-style summary of a shaped graph: one row per layer (name, type, output shape,
 * parameter count from {@link dev.striate.ir.Op#params}), then the totals: parameters, weight
 * bytes, FLOPs per image ({@link dev.striate.ir.Op#flops}) and what the generated class
 * allocates ({@link Compiler#footprint}: the weights it holds, and per instance its activation
 * buffers, scratch rows and result). Needs no weights.
 *
 * @param footprint   what the generated class allocates, null when the backend refuses the model
 * @param notGenerated why the backend refuses the model, null when it does not
 */
public record ModelSummary(String modelName, List<Row> rows, boolean showInputs, ClassFootprint footprint,
                           String notGenerated) {
    /** Bytes per stored parameter (float32). */
    public static final int BYTES_PER_PARAM = 4;

    /** One layer of the summary. */
    public record Row(String name, String kind, String shape, long params, long flops, List<String> inputs) {
    }

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /** Summarizes a graph whose shapes are inferred. */
    public static ModelSummary of(Graph graph) {
        List<Row> rows = new ArrayList<>();
        boolean chain = true;
        String previous = null;
        for (Node n : graph.nodes()) {
            long flops = n.op().flops(graph.inputShapes(n), n.shape());
            rows.add(new Row(n.name(), n.op().kind(), n.shape().toString(), graph.paramCount(n), flops, n.inputs()));
            if (previous != null && !n.inputs().equals(List.of(previous))) {
                chain = false;
            }
            previous = n.name();
        }
        try {
            return new ModelSummary(graph.name(), rows, !chain, Compiler.footprint(graph), null);
        } catch (CompileException e) {
            return new ModelSummary(graph.name(), rows, !chain, null, e.diagnostics().get(0).message());
        }
    }

    /** Sum of every layer's parameters. */
    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    /** Floating-point operations for one image (a multiply-add counts 2). */
    public long totalFlops() {
        return rows.stream().mapToLong(Row::flops).reduce(0, dev.striate.ir.Sizes::saturatingAdd);
    }

    /** Bytes the weights take as float32. */
    public long weightBytes() {
        return totalParams() * BYTES_PER_PARAM;
    }

    /** The printed table, lines ending in {@code \n}. */
    public String render() {
        List<String[]> cells = new ArrayList<>();
        cells.add(showInputs ? new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"}
                : new String[] {"Layer (type)", "Output Shape", "Param #"});
        for (Row r : rows) {
            String layer = r.name() + " (" + r.kind() + ")";
            String params = Reports.count(r.params());
            cells.add(showInputs ? new String[] {layer, r.shape(), params, String.join(", ", r.inputs())}
                    : new String[] {layer, r.shape(), params});
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder lines = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            lines.append(formatRow(cells.get(r), width).stripTrailing()).append('\n');
            if (r == 0) {
                lines.append("=".repeat(tableWidth(width))).append('\n');
            }
        }
        String rule = "=".repeat(tableWidth(width));
        return "Model: " + modelName + "\n" + lines + rule + "\n"
                + "Total params: " + Reports.count(totalParams()) + "\n"
                + "Weights: " + Reports.count(weightBytes()) + " bytes as float32 ("
                + Reports.bytes(weightBytes()) + ")\n"
                + "FLOPs per image: " + Reports.count(totalFlops()) + " (a multiply-add counts 2)\n"
                + classMemory();
    }

    /** The lines on what the generated class allocates. */
    private String classMemory() {
        if (footprint == null) {
            return "Generated class: none, " + notGenerated + "\n";
        }
        String winograd = footprint.winogradFloats() == 0 ? "" : "Winograd weights: "
                + Reports.count(footprint.winogradFloats() * Float.BYTES) + " bytes more, made from the weights by the"
                + " scalar code's first call (its 3x3 layers run as Winograd F(2x2,3x3)) and shared like them\n";
        return "Generated class: " + Reports.count(footprint.weightFloats() * (long) Float.BYTES)
                + " bytes of weights, shared by the instances load() returns\n" + winograd
                + "Memory per instance: " + Reports.count(footprint.perInstanceFloats() * Float.BYTES) + " bytes ("
                + Reports.count(footprint.activationFloats() * Float.BYTES) + " in " + footprint.bufferFloats().size()
                + " activation buffers + " + Reports.count(footprint.rowFloats() * Float.BYTES) + " of scratch rows + "
                + Reports.count(footprint.resultFloats() * (long) Float.BYTES) + " for the result)\n";
    }

    private static String formatRow(String[] row, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                sb.append("   ");
            }
            boolean number = i == 2;
            String pad = " ".repeat(width[i] - row[i].length());
            sb.append(number ? pad + row[i] : row[i] + (i == row.length - 1 ? "" : pad));
        }
        return sb.toString();
    }

    private static int tableWidth(int[] width) {
        int w = 3 * (width.length - 1);
        for (int x : width) {
            w += x;
        }
        return w;
    }
}
