package dev.striate.grammar;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Prints a parse tree as indented LISP-style text for golden files: one rule per line,
 * labeled alternatives as {@code rule#Label}, tokens inline as their text (or {@code <EOF>}).
 */
final class ParseTreePrinter {
    private final String[] ruleNames;

    ParseTreePrinter(String[] ruleNames, Vocabulary vocabulary) {
        this.ruleNames = ruleNames;
    }

    String print(ParseTree tree) {
        StringBuilder sb = new StringBuilder();
        print(tree, 0, sb);
        return sb.append('\n').toString();
    }

    private void print(ParseTree tree, int depth, StringBuilder sb) {
        if (tree instanceof TerminalNode t) {
            String text = t.getSymbol().getType() == org.antlr.v4.runtime.Token.EOF ? "<EOF>" : t.getText();
            sb.append(' ').append(t instanceof org.antlr.v4.runtime.tree.ErrorNode ? "<error " + text + ">" : text);
            return;
        }
        ParserRuleContext ctx = (ParserRuleContext) tree;
        if (depth > 0) {
            sb.append('\n');
        }
        sb.append("  ".repeat(depth)).append('(').append(label(ctx));
        for (int i = 0; i < ctx.getChildCount(); i++) {
            print(ctx.getChild(i), depth + 1, sb);
        }
        sb.append(')');
    }

    private String label(ParserRuleContext ctx) {
        String rule = ruleNames[ctx.getRuleIndex()];
        String cls = ctx.getClass().getSimpleName();
        String base = Character.toUpperCase(rule.charAt(0)) + rule.substring(1) + "Context";
        if (cls.equals(base) || !cls.endsWith("Context")) {
            return rule;
        }
        return rule + "#" + cls.substring(0, cls.length() - "Context".length());
    }
}
