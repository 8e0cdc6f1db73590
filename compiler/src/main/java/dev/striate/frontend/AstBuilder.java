package dev.striate.frontend;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.ast.Argument;
import dev.striate.frontend.ast.Call;
import dev.striate.frontend.ast.Chain;
import dev.striate.frontend.ast.Ident;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.Setting;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.Statement;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.frontend.ast.Value;
import dev.striate.grammar.StriateParser;
import dev.striate.grammar.StriateParserBaseVisitor;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns a syntactically valid parse tree into the immutable AST ({@link SourceFile}), giving
 * every node its source position. Folds {@code a/b} numbers, reporting division by zero.
 */
final class AstBuilder extends StriateParserBaseVisitor<Object> {
    private final String fileName;
    private final Diagnostics diagnostics;

    AstBuilder(String fileName, Diagnostics diagnostics) {
        this.fileName = fileName;
        this.diagnostics = diagnostics;
    }

    SourceFile build(StriateParser.FileContext file) {
        List<ModelDecl> models = new ArrayList<>();
        List<TrainDecl> trains = new ArrayList<>();
        for (StriateParser.DeclarationContext d : file.declaration()) {
            Object decl = visit(d);
            if (decl instanceof ModelDecl m) {
                models.add(m);
            } else {
                trains.add((TrainDecl) decl);
            }
        }
        return new SourceFile(fileName, models, trains);
    }

    @Override
    public ModelDecl visitModelDeclaration(StriateParser.ModelDeclarationContext ctx) {
        List<Statement> statements = new ArrayList<>();
        for (StriateParser.StatementContext s : ctx.statement()) {
            statements.add((Statement) visit(s));
        }
        return new ModelDecl(ident(ctx.name), statements, pos(ctx));
    }

    @Override
    public TrainDecl visitTrainDeclaration(StriateParser.TrainDeclarationContext ctx) {
        List<Setting> settings = new ArrayList<>();
        for (StriateParser.SettingContext s : ctx.setting()) {
            settings.add(new Setting(ident(s.key), value(s.value()), pos(s)));
        }
        return new TrainDecl(ident(ctx.model), settings, pos(ctx));
    }

    @Override
    public Statement visitInputStatement(StriateParser.InputStatementContext ctx) {
        return new Statement.InputStmt(ident(ctx.name), list(ctx.shape), pos(ctx));
    }

    @Override
    public Statement visitOutputStatement(StriateParser.OutputStatementContext ctx) {
        List<Ident> names = new ArrayList<>();
        for (TerminalNode id : ctx.ID()) {
            names.add(ident(id.getSymbol()));
        }
        return new Statement.OutputStmt(names, pos(ctx));
    }

    @Override
    public Statement visitLabelsStatement(StriateParser.LabelsStatementContext ctx) {
        return new Statement.LabelsStmt(list(ctx.list()), pos(ctx));
    }

    @Override
    public Statement visitAssignStatement(StriateParser.AssignStatementContext ctx) {
        return new Statement.AssignStmt(ident(ctx.target), chain(ctx.chain()), pos(ctx));
    }

    @Override
    public Statement visitLayerStatement(StriateParser.LayerStatementContext ctx) {
        return new Statement.LayerStmt(chain(ctx.chain()), pos(ctx));
    }

    private Chain chain(StriateParser.ChainContext ctx) {
        List<Call> calls = new ArrayList<>();
        for (StriateParser.CallContext c : ctx.call()) {
            calls.add(new Call(ident(c.op), arguments(c.arguments()), pos(c)));
        }
        return new Chain(calls, pos(ctx));
    }

    private List<Argument> arguments(StriateParser.ArgumentsContext ctx) {
        List<Argument> out = new ArrayList<>();
        if (ctx == null) {
            return out;
        }
        for (StriateParser.ArgumentContext a : ctx.argument()) {
            if (a instanceof StriateParser.KeywordArgumentContext k) {
                out.add(new Argument(ident(k.name), value(k.value()), pos(k)));
            } else {
                StriateParser.PositionalArgumentContext p = (StriateParser.PositionalArgumentContext) a;
                out.add(new Argument(null, value(p.value()), pos(p)));
            }
        }
        return out;
    }

    private Value value(StriateParser.ValueContext ctx) {
        return (Value) visit(ctx);
    }

    @Override
    public Value visitNumberValue(StriateParser.NumberValueContext ctx) {
        List<StriateParser.NumberContext> nums = ctx.number();
        String first = nums.get(0).getText();
        double v = Double.parseDouble(first);
        if (nums.size() == 1) {
            return new Value.NumberValue(v, isInteger(first), first, pos(ctx));
        }
        String second = nums.get(1).getText();
        double d = Double.parseDouble(second);
        String text = first + "/" + second;
        if (d == 0) {
            diagnostics.error(ErrorCode.BAD_VALUE, pos(nums.get(1)), "division by zero in " + text);
            return new Value.NumberValue(0, false, text, pos(ctx));
        }
        return new Value.NumberValue(v / d, false, text, pos(ctx));
    }

    @Override
    public Value visitStringValue(StriateParser.StringValueContext ctx) {
        return new Value.StringValue(unquote(ctx.STRING().getText()), pos(ctx));
    }

    @Override
    public Value visitBoolValue(StriateParser.BoolValueContext ctx) {
        return new Value.BoolValue(ctx.TRUE() != null, pos(ctx));
    }

    @Override
    public Value visitCallValue(StriateParser.CallValueContext ctx) {
        return new Value.CallValue(ident(ctx.ID().getSymbol()), arguments(ctx.arguments()), pos(ctx));
    }

    @Override
    public Value visitNameValue(StriateParser.NameValueContext ctx) {
        return new Value.NameValue(ctx.ID().getText(), pos(ctx));
    }

    @Override
    public Value visitListValue(StriateParser.ListValueContext ctx) {
        return list(ctx.list());
    }

    private Value.ListValue list(StriateParser.ListContext ctx) {
        List<Value> items = new ArrayList<>();
        for (StriateParser.ValueContext v : ctx.value()) {
            items.add(value(v));
        }
        return new Value.ListValue(items, pos(ctx));
    }

    private static boolean isInteger(String text) {
        return text.matches("-?[0-9]+");
    }

    private static String unquote(String quoted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                char n = quoted.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private Ident ident(Token t) {
        return new Ident(t.getText(), SyntaxReporter.position(fileName, t));
    }

    private SourcePos pos(ParserRuleContext ctx) {
        return SyntaxReporter.position(fileName, ctx.getStart());
    }
}
