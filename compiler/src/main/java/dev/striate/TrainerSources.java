package dev.striate;

import dev.striate.backend.GeneratedFile;
import dev.striate.backend.train.TrainerBackend;
import dev.striate.backend.train.TrainerOptions;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a model's generated trainer source ahead of time, for a program that trains without a
 * JDK compiler at run time (the Spark executors of docs/spark.md, which may have a JRE only):
 * {@code java -cp striate-cli.jar dev.striate.TrainerSources MODEL.cnn PACKAGE CLASS OUT_DIR [mse]}.
 * The class implements {@code dev.striate.train.TrainableModel} (it needs the runtime jar) and has
 * a constructor taking the weights ({@code Map<String, Tensor>}). Without {@code mse} it outputs
 * logits (a final softmax or sigmoid left to a cross-entropy loss), as {@code striate train} does.
 * The file is rewritten only when its content changes.
 */
public final class TrainerSources {
    private TrainerSources() {
    }

    /** Runs the tool; exits with 1 and the positioned errors on a model that does not compile. */
    public static void main(String[] args) {
        if (args.length < 4 || args.length > 5 || (args.length == 5 && !args[4].equals("mse"))) {
            System.err.println("usage: TrainerSources MODEL.cnn PACKAGE CLASS OUT_DIR [mse]");
            System.exit(2);
        }
        try {
            for (Path p : write(Path.of(args[0]), args[1], args[2], Path.of(args[3]), args.length == 5)) {
                System.out.println("trainer source: " + p);
            }
        } catch (CompileException e) {
            for (Diagnostic d : e.diagnostics()) {
                System.err.println(d);
            }
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Generates the trainer of {@code model}'s (only) model and writes it under {@code outDir}. */
    public static List<Path> write(Path model, String packageName, String className, Path outDir, boolean mse) {
        Diagnostics diagnostics = new Diagnostics();
        Graph shaped = Compiler.loadModel(model, null, diagnostics);
        // the emitter reads the weights' shapes, not their values (the class takes the weights
        // in its constructor): any bound set will do
        Graph graph = BindWeights.run(shaped, InitWeights.run(shaped, 0), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        TrainerOptions options = mse ? new TrainerOptions(false, false) : TrainerOptions.DEFAULT;
        List<GeneratedFile> files = TrainerBackend.generate(graph, packageName, className, options);
        return files.stream().map(f -> {
            Path target = outDir.resolve(f.relativePath());
            Compiler.writeIfChanged(target, f.content());
            return target;
        }).toList();
    }
}
