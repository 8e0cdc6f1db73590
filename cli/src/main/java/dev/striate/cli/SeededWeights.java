package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.Limits;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.InitWeights;
import dev.striate.training.ModelRecipe;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The core of {@code striate init}: loads a model, draws seeded weights with {@link InitWeights} (kernels as
 * the model's train block's {@code init} says, as {@code striate train} draws them for the same seed) and writes
 * them, refusing to replace an existing manifest unless asked to.
 */
public final class SeededWeights {
    private SeededWeights() {
    }

    /**
     * Writes seeded weights for one model of {@code source} to {@code manifest}; the model's
     * warnings go to {@code diagnostics}.
     *
     * @throws CompileException for a bad model, an existing file without {@code force}, or a failed write
     */
    public static WeightSet write(Path source, String modelName, long seed, Path manifest, boolean force,
                                  Diagnostics diagnostics) {
        return write(source, modelName, Limits.defaults(), seed, manifest, force, diagnostics);
    }

    /** {@link #write(Path, String, long, Path, boolean, Diagnostics)} refusing models over {@code limits}. */
    public static WeightSet write(Path source, String modelName, Limits limits, long seed, Path manifest, boolean force,
                                  Diagnostics diagnostics) {
        if (Files.exists(manifest) && !force) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(manifest.toString(), 0, 0),
                    "already exists; pass --force to overwrite it"));
        }
        Graph graph = Compiler.loadModel(source, modelName, limits, diagnostics);
        // the train block's init, read (and checked) as train reads it; its model warnings are already reported
        InitWeights.KernelInit kernels =
                ModelRecipe.load(source, modelName, limits, new Diagnostics()).settings().init();
        WeightSet weights = InitWeights.run(graph, seed, kernels);
        try {
            WeightsFile.write(manifest, weights);
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(manifest.toString(), 0, 0),
                    "cannot write: " + e.getMessage()));
        }
        return weights;
    }
}
