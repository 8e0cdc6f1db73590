package dev.striate.frontend;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.ast.ModelDecl;
import dev.striate.frontend.ast.SourceFile;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.frontend.lower.ModelLowering;
import dev.striate.ir.Graph;
import java.util.List;
import java.util.Optional;

/** A parsed {@code .cnn} file: its models and train blocks, ready to be lowered to IR. */
public final class ParsedFile {
    private final SourceFile ast;

    /** Wraps a file's AST; {@link Frontend#parse} is the usual way to get one. */
    public ParsedFile(SourceFile ast) {
        this.ast = ast;
    }

    /** The file's AST. */
    public SourceFile ast() {
        return ast;
    }

    /** Names of the models in the file, in source order. */
    public List<String> modelNames() {
        return ast.models().stream().map(m -> m.name().name()).toList();
    }

    /**
     * Lowers one model to an IR graph with every shape inferred and no weights bound.
     *
     * @param modelName the model to lower, or null for the file's only model (an error when
     *                  the file holds several)
     * @throws CompileException with every semantic and shape error found
     */
    public Graph model(String modelName) {
        return model(modelName, new Diagnostics());
    }

    /**
     * As {@link #model(String)}, adding every diagnostic (warnings too) to {@code diagnostics};
     * throws a {@link CompileException} with all of them if there is an error.
     */
    public Graph model(String modelName, Diagnostics diagnostics) {
        ModelDecl decl = select(modelName, diagnostics);
        Graph graph = decl == null ? null : ModelLowering.lower(decl, diagnostics);
        diagnostics.throwIfErrors();
        return graph;
    }

    /** The AST of the model's {@code train} block, if the file has one for it. */
    public Optional<TrainDecl> train(String modelName) {
        return ast.trains().stream().filter(t -> t.model().name().equals(modelName)).findFirst();
    }

    /** The AST of the named model (null: the file's only model), or a NO_MODEL/UNKNOWN_MODEL error. */
    public ModelDecl modelDecl(String modelName) {
        Diagnostics diagnostics = new Diagnostics();
        ModelDecl decl = select(modelName, diagnostics);
        diagnostics.throwIfErrors();
        return decl;
    }

    private ModelDecl select(String modelName, Diagnostics diagnostics) {
        SourcePos filePos = new SourcePos(ast.fileName(), 1, 1);
        List<String> names = modelNames();
        if (modelName == null) {
            if (names.size() == 1) {
                return ast.models().get(0);
            }
            diagnostics.error(ErrorCode.NO_MODEL, filePos, names.isEmpty() ? "the file defines no model"
                    : "the file defines " + names.size() + " models (" + String.join(", ", names)
                    + "); choose one");
            return null;
        }
        for (ModelDecl m : ast.models()) {
            if (m.name().name().equals(modelName)) {
                return m;
            }
        }
        diagnostics.error(ErrorCode.UNKNOWN_MODEL, filePos, "no model named '" + modelName + "' in the file"
                + Suggestions.didYouMean(modelName, names)
                + (names.isEmpty() ? "" : " (models: " + String.join(", ", names) + ")"));
        return null;
    }
}
