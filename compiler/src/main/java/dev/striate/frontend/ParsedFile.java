package dev.striate.frontend;

import dev.striate.diag.CompileException;
import dev.striate.ir.Graph;
import java.util.List;

/** A parsed {@code .cnn} file: its models and train blocks, ready to be lowered to IR. */
public final class ParsedFile {

    /** Names of the models in the file, in source order. */
    public List<String> modelNames() {
        throw new UnsupportedOperationException("TODO frontend");
    }

    /**
     * Lowers one model to an IR graph with every shape inferred and no weights bound.
     *
     * @param modelName the model to lower, or null for the file's only model (an error when
     *                  the file holds several)
     * @throws CompileException with every semantic and shape error found
     */
    public Graph model(String modelName) {
        throw new UnsupportedOperationException("TODO frontend");
    }
}
