package dev.striate.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.diag.SourcePos;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Call;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.Statement;
import dev.striate.frontend.ast.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AST that {@link Frontend#parse} builds: node kinds, values and positions. */
class AstBuilderTest {
    private static final String SOURCE = """
            model A {
              input x: [3, 8, 8]
              y = conv2d(x, 4, kernel=[3, 1], padding=same, name="c\\"1\\"") -> leaky_relu(alpha=-1/4)
              flatten
              output y
              labels ["a\\tb", "c"]
            }
            train A { optimizer = sgd(lr=1e-2) shuffle = false }
            """;

    private static SourceFile parse() {
        return Frontend.parse(SOURCE, "a.cnn").ast();
    }

    @Test
    void statementsAreTypedAndPositioned() {
        ModelDecl m = parse().models().get(0);
        assertEquals("A", m.name().name());
        assertEquals(new SourcePos("a.cnn", 1, 7), m.name().pos());
        List<Statement> s = m.statements();
        Statement.InputStmt in = assertInstanceOf(Statement.InputStmt.class, s.get(0));
        assertEquals(new SourcePos("a.cnn", 2, 3), in.pos());
        assertEquals(new SourcePos("a.cnn", 2, 9), in.name().pos());
        assertEquals(3, in.shape().items().size());
        Statement.AssignStmt assign = assertInstanceOf(Statement.AssignStmt.class, s.get(1));
        assertEquals("y", assign.target().name());
        assertEquals(2, assign.chain().calls().size());
        assertInstanceOf(Statement.LayerStmt.class, s.get(2));
        assertEquals(List.of("y"), assertInstanceOf(Statement.OutputStmt.class, s.get(3)).names().stream()
                .map(i -> i.name()).toList());
        Statement.LabelsStmt labels = assertInstanceOf(Statement.LabelsStmt.class, s.get(4));
        assertEquals("a\tb", ((Value.StringValue) labels.labels().items().get(0)).value());
    }

    @Test
    void argumentsKeepTheirKindsAndPositions() {
        Statement.AssignStmt assign = (Statement.AssignStmt) parse().models().get(0).statements().get(1);
        Call conv = assign.chain().calls().get(0);
        assertEquals("conv2d", conv.op().name());
        assertEquals(new SourcePos("a.cnn", 3, 7), conv.pos());
        List<Argument> args = conv.arguments();
        assertNull(args.get(0).keyword());
        assertEquals("x", assertInstanceOf(Value.NameValue.class, args.get(0).value()).name());
        Value.NumberValue four = assertInstanceOf(Value.NumberValue.class, args.get(1).value());
        assertTrue(four.integral());
        assertEquals(4.0, four.value());
        assertEquals("kernel", args.get(2).keyword().name());
        assertEquals(new SourcePos("a.cnn", 3, 20), args.get(2).pos());
        assertEquals(new SourcePos("a.cnn", 3, 27), args.get(2).value().pos());
        assertInstanceOf(Value.ListValue.class, args.get(2).value());
        assertEquals("same", ((Value.NameValue) args.get(3).value()).name());
        assertEquals("c\"1\"", ((Value.StringValue) args.get(4).value()).value());
        Call leaky = assign.chain().calls().get(1);
        Value.NumberValue alpha = (Value.NumberValue) leaky.arguments().get(0).value();
        assertEquals(-0.25, alpha.value());
        assertFalse(alpha.integral());
        assertEquals("-1/4", alpha.text());
    }

    @Test
    void trainBlocksKeepTheirSettings() {
        ParsedFile f = Frontend.parse(SOURCE, "a.cnn");
        var train = f.train("A").orElseThrow();
        Value.CallValue sgd = assertInstanceOf(Value.CallValue.class, train.setting("optimizer").orElseThrow().value());
        assertEquals(0.01, ((Value.NumberValue) sgd.arguments().get(0).value()).value(), 1e-15);
        assertEquals(false, ((Value.BoolValue) train.setting("shuffle").orElseThrow().value()).value());
        assertTrue(train.setting("epochs").isEmpty());
    }

    @Test
    void escapedStringsBecomeLayerNames() {
        assertEquals("c\"1\"", Frontend.parse("model A { input x: [2] relu(name=\"c\\\"1\\\"\") }", "a.cnn")
                .model(null).nodes().get(1).name());
    }
}
