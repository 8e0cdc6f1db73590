package dev.striate;

import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.ir.Graph;
import dev.striate.ir.Node;
import dev.striate.ir.Shape;
import dev.striate.passes.MemoryPlan;
import dev.striate.passes.PlanMemory;
import java.util.Locale;

/**
 * Checks a shaped model (before any weights are read) against the {@link Limits} and the
 * single-file cap, reporting each excess at the layer where it happens with the limit and the
 * setting that raises it (named by the front end's {@link OptionNames}). Shared by every command that loads a model, so that {@code check} and
 * {@code compile} agree.
 */
public final class LimitsCheck {
    private LimitsCheck() {
    }

    /** {@link #check(Graph, Limits, OptionNames, Diagnostics)} naming the command-line flags. */
    public static void check(Graph graph, Limits limits, Diagnostics diagnostics) {
        check(graph, limits, OptionNames.FLAGS, diagnostics);
    }

    /**
     * Parameters (running total, reported at the layer that crosses the limit), value sizes and
     * scratch; each message names the setting that raises the limit as {@code names} spells it.
     */
    public static void check(Graph graph, Limits limits, OptionNames names, Diagnostics diagnostics) {
        long params = 0;
        boolean reported = false;
        boolean valuesFit = true;
        for (Node n : graph.nodes()) {
            params += graph.paramCount(n);
            if (params > limits.maxParams() && !reported) {
                reported = true;
                diagnostics.error(ErrorCode.TOO_MANY_PARAMS, n.pos(), "model " + graph.name() + " passes the limit of "
                        + count(limits.maxParams()) + " parameters at layer " + n.name() + " (" + count(params)
                        + " so far)" + raise(names, CompileOption.MAX_PARAMS, " and the JVM's -Xmx"));
            }
            long floats = floats(n.shape());
            if (floats > limits.maxActivationFloats()) {
                valuesFit = false;
                diagnostics.error(ErrorCode.ACTIVATION_TOO_LARGE, n.pos(), "layer " + n.name() + " outputs "
                        + n.shape() + " = " + count(floats) + " floats, over the limit of "
                        + count(limits.maxActivationFloats()) + " floats per value"
                        + raise(names, CompileOption.MAX_ACTIVATION_FLOATS, ""));
            }
        }
        if (valuesFit && graph.inputs().size() == 1 && graph.outputs().size() == 1 && !graph.nodes().isEmpty()) {
            MemoryPlan plan = PlanMemory.plan(graph);
            if (plan.plannedFloats() > limits.maxActivationFloats()) {
                diagnostics.error(ErrorCode.ACTIVATION_TOO_LARGE, graph.inputs().get(0).pos(), "the forward pass of model "
                        + graph.name() + " needs " + count(plan.plannedFloats()) + " floats of scratch buffers, over "
                        + "the limit of " + count(limits.maxActivationFloats())
                        + raise(names, CompileOption.MAX_ACTIVATION_FLOATS, ""));
            }
        }
    }

    /**
     * The single-file cap, checked on the declared parameters before any weights are read or
     * encoded: at most {@link JavaBackend#MAX_SINGLE_FILE_WEIGHTS} floats, reported at the layer
     * that crosses it.
     */
    public static void checkSingleFile(Graph graph, OptionNames names, Diagnostics diagnostics) {
        long params = 0;
        for (Node n : graph.nodes()) {
            params += graph.paramCount(n);
            if (params > JavaBackend.MAX_SINGLE_FILE_WEIGHTS) {
                long total = 0;
                for (Node m : graph.nodes()) {
                    total += graph.paramCount(m);
                }
                String singleFile = names.name(CompileOption.SINGLE_FILE);
                String mode = singleFile == null ? "single-file mode" : singleFile;
                diagnostics.error(ErrorCode.SINGLE_FILE_TOO_LARGE, n.pos(), "model " + graph.name() + " has "
                        + count(total) + " parameters; " + mode + " embeds at most "
                        + count(JavaBackend.MAX_SINGLE_FILE_WEIGHTS) + " (16 MB) in the Java source, a limit first "
                        + "passed at layer " + n.name() + ": drop " + mode + " to write the weights as a resource "
                        + "blob beside the class");
                return;
            }
        }
    }

    /** {@code "; raise it with X<tail>"}, or nothing when the front end has no setting for {@code option}. */
    private static String raise(OptionNames names, CompileOption option, String tail) {
        String name = names.name(option);
        return name == null ? "" : "; raise it with " + name + tail;
    }

    private static long floats(Shape s) {
        long f = 1;
        for (int i = 0; i < s.rank(); i++) {
            f *= s.dim(i);
            if (f < 0 || f > Long.MAX_VALUE / Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return f;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
