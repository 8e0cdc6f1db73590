package dev.striate.frontend;

import dev.striate.grammar.StriateLexer;
import dev.striate.grammar.StriateParser;
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
 * {@code unexpected '->', expected a statement or '}'}, through a {@link SyntaxReporter}.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private final SyntaxReporter reporter;

    SyntaxErrorStrategy(SyntaxReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        report(e.getOffendingToken(), unexpected(parser, e.getOffendingToken(), parser.getExpectedTokens()));
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(e.getOffendingToken(), unexpected(parser, e.getOffendingToken(), e.getExpectedTokens()));
    }

    @Override
    protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
        report(e.getOffendingToken(), unexpected(parser, e.getOffendingToken(), null));
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        Token t = parser.getCurrentToken();
        report(t, unexpected(parser, t, getExpectedTokens(parser)));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) {
            return;
        }
        beginErrorCondition(parser);
        IntervalSet expectedTokens = getExpectedTokens(parser);
        String expected = describe(expectedTokens);
        Token previous = parser.getTokenStream().LT(-1);
        boolean closing = expectedTokens.contains(StriateLexer.RPAREN) || expectedTokens.contains(StriateLexer.RBRACK);
        if (closing && expectedTokens.size() == 1 && previous != null && previous.getType() != StriateLexer.LPAREN
                && previous.getType() != StriateLexer.LBRACK) {
            expected = "',' or " + expected;
        }
        String message = "expected " + (expected == null ? "more input" : expected);
        if (previous != null && previous.getLine() > 0) {
            reporter.report(reporter.after(previous), message);
        } else {
            reporter.report(parser.getCurrentToken(), message);
        }
    }

    private void report(Token at, String message) {
        reporter.report(at, message);
    }

    private static String unexpected(Parser parser, Token found, IntervalSet expected) {
        Token previous = parser.getTokenStream().LT(-1);
        if (found.getType() == StriateLexer.COMMA && previous != null && (previous.getType() == StriateLexer.COMMA
                || previous.getType() == StriateLexer.LPAREN || previous.getType() == StriateLexer.LBRACK)) {
            return "unexpected ',': a value is missing before it";
        }
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
