package dev.striate.frontend;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.grammar.StriateLexer;
import dev.striate.grammar.StriateParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;

/**
 * Entry point of the front end: source text to {@link ParsedFile} (syntax and AST), reporting
 * every syntax error as a diagnostic. Lowering to IR goes through {@link ParsedFile#model}.
 */
public final class Frontend {
    private Frontend() {
    }

    /**
     * Parses one {@code .cnn} file.
     *
     * @param source   the file's text
     * @param fileName the name printed in diagnostics ({@code model.cnn:3:5: ...})
     * @throws CompileException with every syntax error found
     */
    public static ParsedFile parse(String source, String fileName) {
        Diagnostics diagnostics = new Diagnostics();
        StriateLexer lexer = new StriateLexer(CharStreams.fromString(source, fileName));
        lexer.removeErrorListeners();
        List<Token> tokens = new ArrayList<>();
        for (Token t : lexer.getAllTokens()) {
            if (t.getType() == StriateLexer.ERROR_CHAR) {
                diagnostics.error(ErrorCode.SYNTAX, SyntaxErrorStrategy.position(fileName, t),
                        "unexpected character '" + t.getText() + "'");
            } else {
                tokens.add(t);
            }
        }
        ListTokenSource tokenSource = new ListTokenSource(tokens, fileName);
        StriateParser parser = new StriateParser(new CommonTokenStream(tokenSource));
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(fileName, diagnostics));
        StriateParser.FileContext tree = parser.file();
        diagnostics.throwIfErrors();
        SourceFile file = new AstBuilder(fileName, diagnostics).build(tree);
        checkDeclarations(file, diagnostics);
        diagnostics.throwIfErrors();
        return new ParsedFile(file);
    }

    /** File-level rules: model names are unique, each train block names one model, once. */
    private static void checkDeclarations(SourceFile file, Diagnostics diagnostics) {
        Map<String, ModelDecl> models = new HashMap<>();
        for (ModelDecl m : file.models()) {
            ModelDecl before = models.putIfAbsent(m.name().name(), m);
            if (before != null) {
                diagnostics.error(ErrorCode.DUPLICATE_MODEL, m.name().pos(), "model '" + m.name().name()
                        + "' is already defined at line " + before.name().pos().line());
            }
        }
        Map<String, TrainDecl> trains = new HashMap<>();
        for (TrainDecl t : file.trains()) {
            String name = t.model().name();
            if (!models.containsKey(name)) {
                diagnostics.error(ErrorCode.UNKNOWN_MODEL, t.model().pos(), "train block for unknown model '"
                        + name + "'" + Suggestions.didYouMean(name, models.keySet()));
                continue;
            }
            TrainDecl before = trains.putIfAbsent(name, t);
            if (before != null) {
                diagnostics.error(ErrorCode.DUPLICATE_MODEL, t.model().pos(), "model '" + name
                        + "' already has a train block at line " + before.pos().line());
            }
        }
    }
}
