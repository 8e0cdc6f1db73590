package dev.striate.frontend;

import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.grammar.StriateLexer;
import dev.striate.grammar.StriateParser;
import dev.striate.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery with friendly messages: instead of "mismatched input 'x' expecting {...}"
 * it reports {@code expected ')'} (just after the last good token) or
 * {@code unexpected '->', expected a statement or '}'} as {@link ErrorCode#SYNTAX} diagnostics.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private final String fileName;
    private final Diagnostics diagnostics;

    SyntaxErrorStrategy(String fileName, Diagnostics diagnostics) {
        this.fileName = fileName;
        this.diagnostics = diagnostics;
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        report(e.getOffendingToken(), unexpected(e.getOffendingToken(), parser.getExpectedTokens()));
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(e.getOffendingToken(), unexpected(e.getOffendingToken(), e.getExpectedTokens()));
    }

    @Override
    protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        report(e.getOffendingToken(), unexpected(e.getOffendingToken(), null));
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        report(t, unexpected(t, getExpectedTokens(parser)));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        String expected = describe(getExpectedTokens(parser));
        Token previous = parser.getTokenStream().LT(-1);
        Token current = parser.getCurrentToken();
        String message = "expected " + (expected == null ? "more input" : expected);
        if (previous != null && previous.getLine() > 0) {
            int end = previous.getCharPositionInLine() + previous.getText().length();
            diagnostics.error(ErrorCode.SYNTAX, new SourcePos(fileName, previous.getLine(), end + 1), message);
        } else {
            report(current, message);
        }
    }

    private void report(Token at, String message) {
        diagnostics.error(ErrorCode.SYNTAX, position(fileName, at), message);
    }

    static SourcePos position(String fileName, Token t) {
        return new SourcePos(fileName, t.getLine(), t.getCharPositionInLine() + 1);
    }

    private static String unexpected(Token found, IntervalSet expected) {
        String what = found.getType() == Token.EOF ? "end of file" : "'" + found.getText() + "'";
        String exp = expected == null ? null : describe(expected);
        return "unexpected " + what + (exp == null ? "" : ", expected " + exp);
    }

    /** {@code ')' or ','}, {@code a statement or '}'}, or null when too many things would fit. */
    static String describe(IntervalSet expected) {
        List<String> parts = new ArrayList<>();
        IntervalSet rest = new IntervalSet(expected);
        int[] statement = {StriateLexer.INPUT, StriateLexer.OUTPUT, StriateLexer.LABELS, StriateLexer.ID};
        int[] value = {StriateLexer.NUMBER, StriateLexer.MINUS, StriateLexer.STRING, StriateLexer.TRUE,
            StriateLexer.FALSE, StriateLexer.ID, StriateLexer.LBRACK};
        if (containsAll(rest, statement)) {
            parts.add("a statement");
            removeAll(rest, statement);
        }
        if (containsAll(rest, value)) {
            parts.add("a value");
            removeAll(rest, value);
        }
        for (int type : rest.toList()) {
            parts.add(tokenName(type));
        }
        if (parts.isEmpty() || parts.size() > 4) {
            return null;
        }
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    private static boolean containsAll(IntervalSet set, int[] types) {
        for (int t : types) {
            if (!set.contains(t)) {
                return false;
            }
        }
        return true;
    }

    private static void removeAll(IntervalSet set, int[] types) {
        for (int t : types) {
            set.remove(t);
        }
    }

    private static String tokenName(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case StriateLexer.ID -> "a name";
            case StriateLexer.NUMBER -> "a number";
            case StriateLexer.STRING -> "a string";
            default -> StriateParser.VOCABULARY.getLiteralName(type);
        };
    }
}
