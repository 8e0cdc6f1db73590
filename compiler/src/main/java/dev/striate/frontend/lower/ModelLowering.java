package dev.striate.frontend.lower;

import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Suggestions;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Call;
import dev.striate.frontend.ast.Chain;
import dev.striate.frontend.ast.Ident;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.Statement;
import dev.striate.frontend.ast.Value;
import dev.striate.frontend.lower.PendingNode.Ref;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.ir.Sizes;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lowers one model's AST to an IR {@link Graph} as {@code docs/language.md} defines it: stack
 * statements read the previous value, named values and {@code ->} chains make a graph,
 * leading bare names are inputs, layers get explicit or Keras-like names. Checks every
 * argument and name, sorts the graph, then infers shapes. Reports all errors it finds.
 */
public final class ModelLowering {
    /** One definition of a value name: by an input or an assignment. */
    private record Def(int statement, int node, SourcePos pos) {
    }

    private final ModelDecl model;
    private final Diagnostics diagnostics;
    private final ArgBinder binder;
    private final List<PendingNode> nodes = new ArrayList<>();
    private final Map<String, List<Def>> defs = new LinkedHashMap<>();
    private final List<Call> orphans = new ArrayList<>();
    private Integer previous;
    private Statement.OutputStmt output;
    private int outputStatement;
    private Statement.LabelsStmt labels;

    private ModelLowering(ModelDecl model, Diagnostics diagnostics) {
        this.model = model;
        this.diagnostics = diagnostics;
        this.binder = new ArgBinder(diagnostics);
    }

    /**
     * Lowers {@code model}, adding every error and warning to {@code diagnostics}.
     *
     * @return the shaped graph, or null if the model has errors
     */
    public static Graph lower(ModelDecl model, Diagnostics diagnostics) {
        return new ModelLowering(model, diagnostics).run();
    }

    private Graph run() {
        long errorsBefore = errorCount();
        String nameProblem = NameRules.classNameProblem(model.name().name());
        if (nameProblem != null) {
            diagnostics.error(ErrorCode.BAD_CLASS_NAME, model.name().pos(), "model name '" + Show.text(model.name().name()) + "' "
                    + nameProblem + " (the model's name is its generated class's name)");
        }
        List<Statement> statements = model.statements();
        for (int i = 0; i < statements.size(); i++) {
            statement(statements.get(i), i);
        }
        boolean hasInput = nodes.stream().anyMatch(PendingNode::isInput);
        if (!hasInput) {
            diagnostics.error(ErrorCode.NO_INPUT, model.name().pos(), "model '" + model.name().name()
                    + "' has no input; declare one first, e.g. 'input image: [1, 28, 28]'");
        }
        for (Call c : hasInput ? orphans : List.<Call>of()) {
            diagnostics.error(ErrorCode.WRONG_INPUT_COUNT, c.pos(), c.op().name()
                    + " has no input: no value comes before it; declare the input first or name one, e.g. "
                    + c.op().name() + "(x, ...)");
        }
        for (PendingNode n : nodes) {
            for (Ref r : n.refs) {
                n.inputs.add(r instanceof Ref.ToNode t ? t.id() : resolve(((Ref.ToName) r).name(),
                        ((Ref.ToName) r).statement()));
            }
        }
        List<Integer> outputs = outputs();
        List<String> labelTexts = labels();
        LayerNames.assign(nodes, defs.keySet(), diagnostics);
        nameValues();
        GraphAssembly.checkUnused(nodes, outputs, errorCount() == errorsBefore, diagnostics);
        if (errorCount() > errorsBefore) {
            return null;
        }
        return GraphAssembly.assemble(model.name().name(), nodes, outputs, labelTexts,
                labels == null ? null : labels.pos(), diagnostics);
    }

    private long errorCount() {
        return diagnostics.sorted().stream().filter(Diagnostic::isError).count();
    }

    private void statement(Statement s, int index) {
        if (s instanceof Statement.InputStmt in) {
            int id = nodes.size();
            PendingNode n = new PendingNode(id, index, "input", in.name().pos(), inputShape(in.shape()), null,
                    null, List.of());
            n.layerName = in.name().name();
            nodes.add(n);
            define(in.name(), index, id);
            previous = id;
        } else if (s instanceof Statement.AssignStmt a) {
            Integer last = chain(a.chain(), index);
            if (last != null) {
                define(a.target(), index, last);
                previous = last;
            }
        } else if (s instanceof Statement.LayerStmt l) {
            Integer last = chain(l.chain(), index);
            if (last != null) {
                previous = last;
            }
        } else if (s instanceof Statement.OutputStmt o) {
            if (output != null) {
                diagnostics.error(ErrorCode.DUPLICATE_NAME, o.pos(), "the model already has an output statement at line "
                        + output.pos().line());
            } else {
                output = o;
                outputStatement = index;
            }
        } else if (s instanceof Statement.LabelsStmt l) {
            if (labels != null) {
                diagnostics.error(ErrorCode.DUPLICATE_NAME, l.pos(), "the model already has labels at line "
                        + labels.pos().line());
            } else {
                labels = l;
            }
        }
    }

    private void define(Ident name, int statement, int node) {
        defs.computeIfAbsent(name.name(), k -> new ArrayList<>()).add(new Def(statement, node, name.pos()));
    }

    /** Adds a node per call of the chain; returns the last one's id (null if the chain is empty). */
    private Integer chain(Chain chain, int statement) {
        Integer before = null;
        for (Call call : chain.calls()) {
            List<Argument> args = call.arguments();
            int leading = 0;
            while (leading < args.size() && args.get(leading).isPositional()
                    && args.get(leading).value() instanceof Value.NameValue) {
                leading++;
            }
            List<Ref> refs = new ArrayList<>();
            if (before != null) {
                refs.add(new Ref.ToNode(before));
            } else if (leading == 0) {
                if (previous == null) {
                    orphans.add(call);
                } else {
                    refs.add(new Ref.ToNode(previous));
                }
            }
            for (Argument a : args.subList(0, leading)) {
                Value.NameValue n = (Value.NameValue) a.value();
                refs.add(new Ref.ToName(new Ident(n.name(), n.pos()), statement));
            }
            Optional<OpSignature> sig = OpCatalog.find(call.op().name());
            ArgBinder.Binding binding = null;
            if (sig.isEmpty()) {
                diagnostics.error(ErrorCode.UNKNOWN_OP, call.op().pos(), "unknown layer '" + call.op().name() + "'"
                        + Suggestions.didYouMean(call.op().name(), OpCatalog.names()));
            } else {
                binding = binder.bind(sig.get(), args.subList(leading, args.size()), call.pos(), true).orElse(null);
                String nameProblem = binding == null || binding.layerName() == null ? null
                        : NameRules.textProblem(binding.layerName(), "the layer name");
                if (nameProblem != null) {
                    diagnostics.error(ErrorCode.BAD_TEXT, binding.layerNamePos(), nameProblem);
                    binding = null;
                }
                checkArity(sig.get(), call, refs.size(), before != null || leading > 0 || previous != null);
            }
            int id = nodes.size();
            nodes.add(new PendingNode(id, statement, call.op().name(), call.op().pos(), null, sig.orElse(null),
                    binding, refs));
            before = id;
        }
        return before;
    }

    private void checkArity(OpSignature sig, Call call, int count, boolean hasSource) {
        if (!hasSource) {
            return;
        }
        if (sig.arity() == OpSignature.Arity.ONE && count != 1) {
            diagnostics.error(ErrorCode.WRONG_INPUT_COUNT, call.op().pos(), sig.name() + " reads one input, got "
                    + count);
        } else if (sig.arity() == OpSignature.Arity.TWO_OR_MORE && count < 2) {
            diagnostics.error(ErrorCode.WRONG_INPUT_COUNT, call.op().pos(), sig.name()
                    + " needs two or more inputs, got " + count + "; name them, e.g. " + sig.name() + "(a, b)");
        }
    }

    /** The node a name refers to as of a statement, or -1 after reporting why it is unknown. */
    private int resolve(Ident name, int statement) {
        List<Def> d = defs.get(name.name());
        if (d == null) {
            diagnostics.error(ErrorCode.UNKNOWN_NAME, name.pos(), "unknown name '" + name.name() + "'"
                    + Suggestions.didYouMean(name.name(), defs.keySet()));
            return -1;
        }
        if (d.size() == 1) {
            return d.get(0).node();
        }
        Def latest = null;
        for (Def def : d) {
            if (def.statement() < statement) {
                latest = def;
            }
        }
        if (latest == null) {
            diagnostics.error(ErrorCode.UNKNOWN_NAME, name.pos(), "'" + name.name() + "' is used before it is defined;"
                    + " it is assigned " + d.size() + " times (first at line " + d.get(0).pos().line()
                    + "), so it is read in source order");
            return -1;
        }
        return latest.node();
    }

    private List<Integer> outputs() {
        List<Integer> out = new ArrayList<>();
        if (output == null) {
            if (previous != null) {
                out.add(previous);
            }
            return out;
        }
        for (Ident name : output.names()) {
            out.add(resolve(name, outputStatement));
        }
        return out;
    }

    private List<String> labels() {
        List<String> out = new ArrayList<>();
        if (labels == null) {
            return out;
        }
        for (Value v : labels.labels().items()) {
            if (v instanceof Value.StringValue s) {
                String problem = NameRules.textProblem(s.value(), "the label");
                if (problem != null) {
                    diagnostics.error(ErrorCode.BAD_TEXT, s.pos(), problem);
                }
                out.add(s.value());
            } else {
                diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), "labels are strings, got " + v.describe());
            }
        }
        return out;
    }

    /** Remembers, for messages, the value name each node was last assigned to. */
    private void nameValues() {
        Map<Integer, String> byNode = new HashMap<>();
        defs.forEach((name, list) -> list.forEach(d -> byNode.put(d.node(), name)));
        for (PendingNode n : nodes) {
            n.valueName = byNode.get(n.id);
        }
    }

    private Shape inputShape(Value.ListValue list) {
        int[] dims = new int[list.items().size()];
        boolean ok = true;
        for (int i = 0; i < dims.length; i++) {
            Value v = list.items().get(i);
            if (!(v instanceof Value.NumberValue n) || !n.integral()) {
                diagnostics.error(ErrorCode.WRONG_TYPE, v.pos(), "input dimensions are integers, got " + v.describe());
                ok = false;
            } else if (n.value() <= 0) {
                diagnostics.error(ErrorCode.BAD_VALUE, v.pos(), "input dimensions must be positive, got " + n.text());
                ok = false;
            } else if (n.value() > Sizes.MAX_ELEMENTS) {
                diagnostics.error(ErrorCode.TOO_LARGE, v.pos(), "input dimension " + n.text() + " is too large: "
                        + Sizes.arrayLimit());
                ok = false;
            } else {
                dims[i] = (int) n.value();
            }
        }
        if (dims.length != 1 && dims.length != 3) {
            diagnostics.error(ErrorCode.BAD_VALUE, list.pos(), "an input is [channels, height, width] or [size], got "
                    + dims.length + " dimension" + (dims.length == 1 ? "" : "s"));
            ok = false;
        }
        return ok ? Shape.of(dims) : Shape.UNKNOWN;
    }
}
