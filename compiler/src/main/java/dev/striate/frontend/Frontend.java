package dev.striate.frontend;

import dev.striate.diag.CompileException;

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
        throw new UnsupportedOperationException("TODO frontend");
    }
}
