package dev.striate.frontend;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.grammar.StriateLexer;
import dev.striate.grammar.StriateParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;

/**
 * Entry point of the front end: source text to {@link ParsedFile} (syntax and AST), reporting
 * every syntax error as a diagnostic. Lowering to IR goes through {@link ParsedFile#model}.
 */
public final class Frontend {
    /**
     * The deepest nesting of brackets and calls accepted ({@code [[1]]} is 2 levels, as is
     * {@code f(g(1))} inside a layer call's arguments). Real models need 2 or 3; the limit keeps
     * the parser and every recursive visitor far from the end of the stack.
     */
    public static final int MAX_NESTING = 64;

    /**
     * The deepest parser rule nesting allowed, a backstop for inputs whose brackets do not match
     * (each level of nesting is at most 3 rules, plus the rules of a statement around it).
     */
    static final int MAX_RULE_DEPTH = 3 * MAX_NESTING + 16;

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
        StriateLexer lexer = new StriateLexer(CharStreams.fromString(SourceText.stripBom(source), fileName));
        lexer.removeErrorListeners();
        SyntaxReporter reporter = new SyntaxReporter(fileName, diagnostics);
        List<Token> tokens = tokens(lexer, reporter, diagnostics);
        checkNesting(tokens, reporter, diagnostics);
        ListTokenSource tokenSource = new ListTokenSource(tokens, fileName);
        DepthLimitedParser parser = new DepthLimitedParser(new CommonTokenStream(tokenSource));
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(reporter));
        StriateParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (DepthLimitedParser.TooDeep e) {
            reporter.flush();
            diagnostics.error(ErrorCode.NESTING_TOO_DEEP, reporter.position(e.at()), tooDeep());
            throw new CompileException(diagnostics.sorted());
        }
        reporter.flush();
        diagnostics.throwIfErrors();
        SourceFile file = new AstBuilder(fileName, diagnostics).build(tree);
        checkDeclarations(file, diagnostics);
        diagnostics.throwIfErrors();
        return new ParsedFile(file);
    }

    /**
     * The tokens the parser sees: characters the lexer does not know and unterminated strings are
     * reported and left out; an unclosed {@code /*} comment swallows the rest of the file, so it
     * stops lexing and parsing.
     */
    private static List<Token> tokens(StriateLexer lexer, SyntaxReporter reporter, Diagnostics diagnostics) {
        List<Token> tokens = new ArrayList<>();
        // Lexed one token at a time so an unclosed comment stops lexing at once: lexing on would
        // rescan the rest of the file from every later '/*' (quadratic time).
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getType() == StriateLexer.UNTERMINATED_STRING) {
                reporter.report(t, "unterminated string: a string ends with '\"' on the same line");
                CommonToken closed = new CommonToken(t); // parsed as a string, so the parser recovers
                closed.setType(StriateLexer.STRING);
                tokens.add(closed);
                continue;
            }
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
                    : "unexpected character " + describeChar(t.getText().codePointAt(0)));
        }
        for (Token t : tokens) {
            if (t.getType() == StriateLexer.STRING) {
                checkEscapes(t, reporter);
            }
        }
        return tokens;
    }

    /** {@code '%'}, {@code 'é' (U+00E9)} or, for what does not print, {@code U+0000}. */
    static String describeChar(int cp) {
        String code = String.format(java.util.Locale.ROOT, "U+%04X", cp);
        if (cp >= 0x20 && cp < 0x7F) {
            return "'" + Character.toString(cp) + "'";
        }
        int type = Character.getType(cp);
        boolean invisible = Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
        if (invisible) {
            return code + (cp == 0 ? " (a NUL byte)" : Character.isISOControl(cp) ? " (a control character)" : "");
        }
        return "'" + Character.toString(cp) + "' (" + code + ")";
    }

    /** Reports a backslash in a string that is not one of the escapes the language knows. */
    private static void checkEscapes(Token t, SyntaxReporter reporter) {
        String text = t.getText();
        for (int i = 1; i < text.length() - 1; i++) {
            if (text.charAt(i) != '\\') {
                continue;
            }
            int next = text.codePointAt(i + 1);
            if (next != '"' && next != '\\' && next != 'n' && next != 't') {
                int column = t.getCharPositionInLine() + text.codePointCount(0, i) + 1;
                String shown = next >= 0x21 && next < 0x7F ? "\\" + Character.toString(next)
                        : "\\ followed by " + describeChar(next);
                reporter.report(new SourcePos(t.getTokenSource().getSourceName(), t.getLine(), column),
                        "unknown escape " + shown + " in a string; the escapes are \\\" \\\\ \\n and \\t");
                return;
            }
            i++;
        }
    }

    /**
     * Refuses brackets and calls nested deeper than {@link #MAX_NESTING} before parsing, at the
     * opening bracket that goes one level too deep. Only a closer matching the innermost opener
     * closes a level, so mismatched brackets cannot hide depth.
     */
    private static void checkNesting(List<Token> tokens, SyntaxReporter reporter, Diagnostics diagnostics) {
        Deque<Integer> open = new ArrayDeque<>();
        for (Token t : tokens) {
            int type = t.getType();
            if (type == StriateLexer.LBRACK || type == StriateLexer.LPAREN) {
                open.push(type);
                if (open.size() > MAX_NESTING) {
                    reporter.flush();
                    diagnostics.error(ErrorCode.NESTING_TOO_DEEP, reporter.position(t), tooDeep());
                    throw new CompileException(diagnostics.sorted());
                }
            } else if (!open.isEmpty() && (type == StriateLexer.RBRACK && open.peek() == StriateLexer.LBRACK
                    || type == StriateLexer.RPAREN && open.peek() == StriateLexer.LPAREN)) {
                open.pop();
            } else if (type == StriateLexer.LBRACE || type == StriateLexer.RBRACE) {
                open.clear();
            }
        }
    }

    private static String tooDeep() {
        return "brackets and calls nested deeper than " + MAX_NESTING + " levels; flatten the value";
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
