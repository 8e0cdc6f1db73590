package dev.striate.training;

import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.LimitsCheck;
import dev.striate.data.ImageShape;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ParsedFile;
import dev.striate.frontend.ast.TrainDecl;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import java.nio.file.Path;

/**
 * A model and its training recipe, read from one {@code .cnn} file: the shaped graph (no
 * weights) and the settings of its {@code train} block ({@link TrainSettings#DEFAULTS} without one).
 * Errors in the model and in the train block are reported together.
 *
 * @param graph the model, shapes inferred, no weights bound
 * @param settings the train block's settings
 * @param blockPos where the train block starts, or the file's start when there is none
 * @param hasBlock whether the file has a train block for the model
 * @param lossPos where the train block sets the loss (null when it does not)
 * @param targetPos where the train block sets the target (null when it does not)
 */
public record ModelRecipe(Graph graph, TrainSettings settings, SourcePos blockPos, boolean hasBlock,
                          SourcePos lossPos, SourcePos targetPos) {

    /** Reads {@code modelName} (null: the only model) of {@code source} and its train block. */
    public static ModelRecipe load(Path source, String modelName, Diagnostics diagnostics) {
        return load(source, modelName, Limits.defaults(), diagnostics);
    }

    /** {@link #load(Path, String, Diagnostics)}, refusing a model over {@code limits}. */
    public static ModelRecipe load(Path source, String modelName, Limits limits, Diagnostics diagnostics) {
        ParsedFile parsed = Frontend.parse(Compiler.readSource(source), source.toString());
        Diagnostics modelDiagnostics = new Diagnostics();
        Graph graph = null;
        try {
            graph = parsed.model(modelName, modelDiagnostics);
            LimitsCheck.check(graph, limits, modelDiagnostics);
        } catch (dev.striate.diag.CompileException e) {
            // reported below, with the train block's errors
        }
        modelDiagnostics.sorted().forEach(diagnostics::add);
        String name = graph != null ? graph.name() : modelName != null ? modelName
                : parsed.modelNames().size() == 1 ? parsed.modelNames().get(0) : null;
        TrainDecl block = name == null ? null : parsed.train(name).orElse(null);
        TrainSettings settings = TrainBlockReader.read(block, diagnostics);
        diagnostics.throwIfErrors();
        SourcePos pos = block != null ? block.pos() : new SourcePos(source.toString(), 1, 1);
        return new ModelRecipe(graph, settings, pos, block != null, settingPos(block, "loss"),
                settingPos(block, "target"));
    }

    private static SourcePos settingPos(TrainDecl block, String key) {
        return block == null ? null : block.settings().stream()
                .filter(st -> st.key().name().equals(key)).map(st -> st.value().pos()).findFirst().orElse(null);
    }

    /**
     * Refuses, with every reason, to train or evaluate the model with {@code effective} (the
     * block's settings, perhaps changed on the command line): see {@link TrainChecks}.
     */
    public void checkTraining(TrainSettings effective) {
        Diagnostics diagnostics = new Diagnostics();
        SourcePos at = effective.loss().equals(settings.loss()) ? lossPos : null;
        TrainChecks.check(graph, effective.loss(), at, diagnostics);
        if (effective.imageTargets() != null) {
            TrainChecks.checkImageTargets(graph, effective.loss(), targetPos != null ? targetPos : blockPos,
                    diagnostics);
        }
        diagnostics.throwIfErrors();
    }

    /** The model's input as an image shape ({@code [N]} inputs read as {@code 1 x 1 x N}). */
    public ImageShape inputShape() {
        Shape s = graph.inputs().get(0).shape();
        return s.rank() == 3 ? new ImageShape(s.dim(0), s.dim(1), s.dim(2)) : new ImageShape(1, 1, s.size());
    }

    /** The number of classes: the size of the model's output. */
    public int classes() {
        return graph.node(graph.outputs().get(0)).shape().size();
    }
}
