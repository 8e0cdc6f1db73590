package dev.striate.frontend;

import dev.striate.grammar.StriateParser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/**
 * The generated parser with a bound on how deeply its rules nest, so no input can make it
 * (or the visitors walking its tree) recurse off the end of the stack. {@link Frontend} refuses
 * deep brackets before parsing; this is the backstop for inputs whose brackets do not match.
 */
final class DepthLimitedParser extends StriateParser {
    /** Thrown out of the parse when rules nest deeper than {@link Frontend#MAX_RULE_DEPTH}. */
    static final class TooDeep extends RuntimeException {
        private final transient Token at;

        TooDeep(Token at) {
            super("parser rules nested too deeply", null, false, false);
            this.at = at;
        }

        Token at() {
            return at;
        }
    }

    private int depth;

    DepthLimitedParser(TokenStream input) {
        super(input);
    }

    @Override
    public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
        super.enterRule(localctx, state, ruleIndex);
        if (++depth > Frontend.MAX_RULE_DEPTH) {
            throw new TooDeep(getCurrentToken());
        }
    }

    @Override
    public void exitRule() {
        depth--;
        super.exitRule();
    }
}
