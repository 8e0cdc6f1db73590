package dev.striate;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ParsedFile;
import dev.striate.frontend.SourceText;
import dev.striate.io.AtomicFiles;
import dev.striate.ir.Graph;
import dev.striate.ir.SourcePos;
import dev.striate.passes.BindWeights;
import dev.striate.passes.Pass;
import dev.striate.passes.PassLog;
import dev.striate.passes.PassPipeline;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsException;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compiler's facade: {@code .cnn} + weights in, Java source (and weights blob) out. The CLI
 * and the Maven plugin are thin shells over {@link #compile}. User mistakes surface as
 * {@link CompileException} with every diagnostic; anything else is an internal error.
 */
public final class Compiler {
    private Compiler() {
    }

    /** Parses, checks, binds weights, optimizes, generates and writes the classifier. */
    public static CompileResult compile(CompileRequest request) {
        Diagnostics diagnostics = new Diagnostics();
        Graph graph = loadModel(request.source(), request.modelName(), diagnostics);
        graph = bindWeights(graph, request.weightsPath(), diagnostics);
        PassLog passLog = new PassLog();
        graph = (request.optimize() ? PassPipeline.standard() : PassPipeline.none())
                .run(graph, Pass.Mode.INFERENCE, passLog);
        String className = request.className() != null ? request.className() : graph.name();
        List<GeneratedFile> files = JavaBackend.generate(graph,
                new GenerateOptions(request.packageName(), className, request.singleFile()));
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        for (GeneratedFile f : files) {
            Path root = f.kind() == GeneratedFile.Kind.SOURCE ? request.sourceOutput() : request.resourceOutput();
            Path target = root.resolve(f.relativePath());
            if (writeIfChanged(target, f.content())) {
                written.add(target);
            } else {
                unchanged.add(target);
            }
        }
        List<Diagnostic> warnings = diagnostics.sorted().stream().filter(d -> !d.isError()).toList();
        return new CompileResult(graph, files, written, unchanged, warnings, passLog);
    }

    /**
     * Reads and parses a model file and lowers one model to a shaped IR graph (no weights);
     * warnings go to {@code diagnostics}, errors are thrown.
     */
    public static Graph loadModel(Path source, String modelName, Diagnostics diagnostics) {
        ParsedFile parsed = Frontend.parse(readSource(source), source.toString());
        return parsed.model(modelName, diagnostics);
    }

    /** Reads the weights manifest and binds it to the graph, reporting every mismatch. */
    public static Graph bindWeights(Graph graph, Path manifest, Diagnostics diagnostics) {
        SourcePos pos = new SourcePos(manifest.toString(), 1, 1);
        WeightSet weights = readWeights(manifest);
        Graph bound = BindWeights.run(graph, weights, pos, diagnostics);
        diagnostics.throwIfErrors();
        return bound;
    }

    /** Reads a weights manifest, turning format problems into diagnostics. */
    public static WeightSet readWeights(Path manifest) {
        SourcePos pos = new SourcePos(manifest.toString(), 1, 1);
        try {
            return WeightsFile.read(manifest);
        } catch (NoSuchFileException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos,
                    "weights file not found (run 'striate init' to create seeded weights, or pass --weights)"));
        } catch (WeightsException e) {
            ErrorCode code = switch (e.kind()) {
                case MALFORMED -> ErrorCode.CORRUPT_WEIGHTS;
                case CORRUPT -> ErrorCode.CORRUPT_WEIGHTS;
                case NON_FINITE -> ErrorCode.NON_FINITE_WEIGHT;
            };
            throw new CompileException(Diagnostic.error(code, pos, e.getMessage()));
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "cannot read weights: " + e.getMessage()));
        }
    }

    /**
     * Reads a source file as strict UTF-8 (a leading byte order mark is dropped), reporting a
     * missing file or bytes that are not UTF-8 as a user error.
     */
    public static String readSource(Path source) {
        try {
            return SourceText.decode(Files.readAllBytes(source), source.toString());
        } catch (NoSuchFileException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(source.toString(), 0, 0),
                    "file not found"));
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(source.toString(), 0, 0),
                    "cannot read: " + e.getMessage()));
        }
    }

    /**
     * Writes {@code content} to {@code target} through a temporary file and an atomic rename,
     * unless the file already holds exactly these bytes. Returns whether it wrote.
     */
    public static boolean writeIfChanged(Path target, byte[] content) {
        try {
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                return false;
            }
            AtomicFiles.write(target, content);
            return true;
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(target.toString(), 0, 0),
                    "cannot write: " + e.getMessage()));
        }
    }
}
