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
        SyntaxReporter reporter = new SyntaxReporter(fileName, diagnostics);
        List<Token> tokens = tokens(lexer.getAllTokens(), reporter, diagnostics);
        ListTokenSource tokenSource = new ListTokenSource(tokens, fileName);
        StriateParser parser = new StriateParser(new CommonTokenStream(tokenSource));
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(reporter));
        StriateParser.FileContext tree = parser.file();
        reporter.flush();
        diagnostics.throwIfErrors();
        SourceFile file = new AstBuilder(fileName, diagnostics).build(tree);
        checkDeclarations(file, diagnostics);
        diagnostics.throwIfErrors();
        return new ParsedFile(file);
    }

    /**
     * The tokens the parser sees: characters the lexer does not know are reported and left
     * out; an unclosed {@code /*} comment swallows the rest of the file, so it stops parsing.
     */
    private static List<Token> tokens(List<? extends Token> all, SyntaxReporter reporter, Diagnostics diagnostics) {
        List<Token> tokens = new ArrayList<>();
        for (Token t : all) {
            if (t.getType() != StriateLexer.ERROR_CHAR) {
                tokens.add(t);
                continue;
            }
            Token before = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
            if (t.getText().equals("*") && before != null && before.getType() == StriateLexer.SLASH
                    && before.getStopIndex() + 1 == t.getStartIndex()) {
                tokens.remove(tokens.size() - 1);
                reporter.report(before, "unclosed comment: '/*' has no matching '*/'");
                reporter.flush();
                throw new CompileException(diagnostics.sorted());
            }
            reporter.report(t, t.getText().equals("\"")
                    ? "unterminated string: a string ends with '\"' on the same line"
                    : "unexpected character '" + t.getText() + "'");
        }
        return tokens;
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
