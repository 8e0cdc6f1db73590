package dev.striate;

import dev.striate.backend.ClassFootprint;
import dev.striate.backend.EnsembleClass;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.GeneratedFile;
import dev.striate.backend.ImageCompanion;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.frontend.Frontend;
import dev.striate.frontend.ParsedFile;
import dev.striate.frontend.SourceText;
import dev.striate.io.AtomicFiles;
import dev.striate.ir.Graph;
import dev.striate.ir.Shape;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
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
    /** The largest model file read (a 5,000-layer model takes about 150 KB). */
    public static final long MAX_SOURCE_BYTES = 64L << 20;

    private Compiler() {
    }

    /** Parses, checks, binds weights, optimizes, generates and writes the classifier. */
    public static CompileResult compile(CompileRequest request) {
        return write(generate(request), request);
    }

    /**
     * Compiles an ensemble: each member as the class {@code <Name>Member<i>} (with its weights resource), checked
     * and generated as {@link #compile} does, then the class {@code Name} averaging their outputs
     * ({@link EnsembleClass}), and its image companion if the first member's request asks for one. Refuses
     * members that disagree on input, output, labels or normalization (E512) and bad counts or weights (E513).
     * The result's graph is the first member's.
     */
    public static CompileResult compileEnsemble(EnsembleRequest request) {
        return write(generateEnsemble(request), request.first());
    }

    /**
     * Everything {@link #compileEnsemble} does except writing the files: the same checks (E512, E513 and each
     * member's own) in the same order. The result's model is the first member's; its files are the ensemble's
     * (its class first). Used by {@code striate check --ensemble} and {@code striate predict --ensemble}.
     */
    public static Checked checkEnsemble(EnsembleRequest request) {
        Generated g = generateEnsemble(request);
        return new Checked(g.bound(), g.files(), g.warnings());
    }

    private static Generated generateEnsemble(EnsembleRequest request) {
        List<Float> weights = EnsembleCheck.weights(request);
        List<Generated> members = new ArrayList<>();
        for (int i = 0; i < request.members().size(); i++) {
            CompileRequest m = request.members().get(i);
            members.add(generate(new CompileRequest(m.source(), m.modelName(), m.weights(), m.packageName(),
                    request.memberClassName(i), m.singleFile(), m.sourceOutput(), m.resourceOutput(), m.optimize(),
                    m.limits(), m.optionNames(), m.vector(), false)));
        }
        List<Graph> graphs = members.stream().map(Generated::graph).toList();
        EnsembleCheck.members(request, graphs);
        CompileRequest first = request.first();
        List<EnsembleClass.Member> specs = new ArrayList<>();
        List<GeneratedFile> files = new ArrayList<>();
        List<Diagnostic> warnings = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            CompileRequest m = request.members().get(i);
            specs.add(new EnsembleClass.Member(request.memberClassName(i), "model " + graphs.get(i).name() + " from "
                    + m.source().getFileName() + ", weights " + m.weightsPath().getFileName(), weights.get(i)));
            files.addAll(members.get(i).files());
            warnings.addAll(members.get(i).warnings());
        }
        files.add(0, EnsembleClass.generate(first.packageName(), request.className(), specs, graphs.get(0)));
        if (first.imageCompanion()) {
            files.add(imageCompanion(graphs.get(0), first.packageName(), request.className()));
        }
        return new Generated(members.get(0).bound(), graphs.get(0), files, warnings, members.get(0).passLog());
    }

    private static CompileResult write(Generated g, CompileRequest request) {
        List<GeneratedFile> files = g.files();
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
        return new CompileResult(g.graph(), files, written, unchanged, g.warnings(), g.passLog());
    }

    /**
     * Everything {@link #compile} does except writing the files: the same checks in the same
     * order, so that a request that passes here compiles (barring I/O errors on the outputs).
     * Used by {@code striate check}.
     */
    public static Checked check(CompileRequest request) {
        Generated g = generate(request);
        return new Checked(g.bound(), g.files(), g.warnings());
    }

    /**
     * What {@link #check} found: the model with its weights bound (before optimization), the files
     * {@code compile} would write (in memory, written nowhere) and the warnings.
     *
     * @param bound    the model as written, weights bound
     * @param files    the generated source and weights blob
     * @param warnings warnings, sorted
     */
    public record Checked(Graph bound, List<GeneratedFile> files, List<Diagnostic> warnings) {
    }

    private record Generated(Graph bound, Graph graph, List<GeneratedFile> files, List<Diagnostic> warnings,
                             PassLog passLog) {
    }

    /** Loads (checking the limits, and the single-file cap before reading weights), binds, optimizes, generates. */
    private static Generated generate(CompileRequest request) {
        Diagnostics diagnostics = new Diagnostics();
        OptionNames names = request.optionNames();
        ParsedFile parsed = parse(request.source());
        Graph graph = loadModel(parsed, request.modelName(), request.limits(), names, diagnostics);
        if (request.singleFile()) {
            LimitsCheck.checkSingleFile(graph, names, diagnostics);
            diagnostics.throwIfErrors();
        }
        Graph bound = bindWeights(graph, request.weightsPath(), WeightsFile.ReadLimits.of(
                request.limits().maxWeightsBytes(), names.name(CompileOption.MAX_WEIGHTS_BYTES)), names, diagnostics);
        NormalizationCheck.check(parsed, bound, request.weightsPath(), diagnostics);
        PassLog passLog = new PassLog();
        Graph optimized = (request.optimize() ? PassPipeline.standard() : PassPipeline.none())
                .run(bound, Pass.Mode.INFERENCE, passLog);
        String className = request.className() != null ? request.className() : optimized.name();
        List<GeneratedFile> files = new ArrayList<>(JavaBackend.generate(optimized,
                new GenerateOptions(request.packageName(), className, request.singleFile(),
                        request.vector() ? GenerateOptions.Variant.VECTOR : GenerateOptions.Variant.SCALAR)));
        if (request.imageCompanion()) {
            files.add(imageCompanion(optimized, request.packageName(), className));
        }
        List<Diagnostic> warnings = diagnostics.sorted().stream().filter(d -> !d.isError()).toList();
        return new Generated(bound, optimized, files, warnings, passLog);
    }

    /** {@code <className>Images} for a model reading {@code optimized}'s input, or E504 if it is not an image. */
    private static GeneratedFile imageCompanion(Graph optimized, String packageName, String className) {
        Shape input = optimized.inputs().get(0).shape();
        if (!ImageCompanion.supports(input)) {
            throw new CompileException(Diagnostic.error(ErrorCode.UNSUPPORTED, optimized.inputs().get(0).pos(),
                    "the image companion needs an image input, [1, H, W] (gray) or [3, H, W] (RGB); model "
                    + optimized.name() + " reads " + input));
        }
        return ImageCompanion.generate(packageName, className, input);
    }

    /**
     * The files {@link #compile} writes for a model whose weights are already bound (the class
     * and, unless single-file, its weights resource), optimized as a compile does, written nowhere:
     * {@code striate evaluate} compiles these in process to run the code that ships.
     */
    public static List<GeneratedFile> generateClass(Graph bound, GenerateOptions options) {
        Graph optimized = PassPipeline.standard().run(bound, Pass.Mode.INFERENCE, null);
        return JavaBackend.generate(optimized, options);
    }

    /**
     * What one instance of the class {@link #compile} writes for {@code model} (a shaped graph
     * without weights) allocates, found without its weights: the model gets seeded placeholder
     * weights ({@link InitWeights}), then the standard pipeline and the backend run as in a
     * compile. What a class allocates depends on shapes only, so the numbers hold for any weights.
     *
     * @throws CompileException when the backend does not generate this model
     */
    public static ClassFootprint footprint(Graph model) {
        Diagnostics diagnostics = new Diagnostics();
        Graph bound = BindWeights.run(model, InitWeights.run(model, 0), SourcePos.NONE, diagnostics);
        diagnostics.throwIfErrors();
        Graph optimized = PassPipeline.standard().run(bound, Pass.Mode.INFERENCE, null);
        return JavaBackend.footprint(optimized, new GenerateOptions("", optimized.name(), false));
    }

    /**
     * Reads and parses a model file and lowers one model to a shaped IR graph (no weights);
     * warnings go to {@code diagnostics}, errors are thrown.
     */
    public static Graph loadModel(Path source, String modelName, Diagnostics diagnostics) {
        return loadModel(source, modelName, Limits.defaults(), diagnostics);
    }

    /**
     * {@link #loadModel(Path, String, Diagnostics)}, then checks the model against {@code limits}
     * (parameters, value and scratch sizes) before anything is allocated for it.
     */
    public static Graph loadModel(Path source, String modelName, Limits limits, Diagnostics diagnostics) {
        return loadModel(source, modelName, limits, OptionNames.FLAGS, diagnostics);
    }

    private static Graph loadModel(Path source, String modelName, Limits limits, OptionNames names,
                                   Diagnostics diagnostics) {
        return loadModel(parse(source), modelName, limits, names, diagnostics);
    }

    private static ParsedFile parse(Path source) {
        return Frontend.parse(readSource(source), source.toString());
    }

    private static Graph loadModel(ParsedFile parsed, String modelName, Limits limits, OptionNames names,
                                   Diagnostics diagnostics) {
        Graph graph = parsed.model(modelName, diagnostics);
        LimitsCheck.check(graph, limits, names, diagnostics);
        diagnostics.throwIfErrors();
        return graph;
    }

    /**
     * Reads the weights manifest within the {@linkplain WeightsFile.ReadLimits#defaults() default
     * limits} and binds it to the graph, reporting every mismatch.
     */
    public static Graph bindWeights(Graph graph, Path manifest, Diagnostics diagnostics) {
        return bindWeights(graph, manifest, WeightsFile.ReadLimits.defaults(), diagnostics);
    }

    /** Reads the weights manifest within {@code limits} and binds it to the graph, reporting every mismatch. */
    public static Graph bindWeights(Graph graph, Path manifest, WeightsFile.ReadLimits limits, Diagnostics diagnostics) {
        return bindWeights(graph, manifest, limits, OptionNames.FLAGS, diagnostics);
    }

    private static Graph bindWeights(Graph graph, Path manifest, WeightsFile.ReadLimits limits, OptionNames names,
                                     Diagnostics diagnostics) {
        SourcePos pos = new SourcePos(manifest.toString(), 1, 1);
        WeightSet weights = readWeights(manifest, limits, names);
        Graph bound = BindWeights.run(graph, weights, pos, diagnostics);
        diagnostics.throwIfErrors();
        return bound;
    }

    /** Reads a weights manifest within the default limits, turning format problems into diagnostics. */
    public static WeightSet readWeights(Path manifest) {
        return readWeights(manifest, WeightsFile.ReadLimits.defaults());
    }

    /**
     * Reads a weights manifest within {@code limits} (E408 beyond them), turning format problems
     * into diagnostics at the manifest's path: E404 malformed or corrupt (at the line and column
     * of a JSON syntax error), E405 non-finite, E407 a data file outside the manifest's folder or
     * not a regular file, E503 not found or unreadable.
     */
    public static WeightSet readWeights(Path manifest, WeightsFile.ReadLimits limits) {
        return readWeights(manifest, limits, OptionNames.FLAGS);
    }

    private static WeightSet readWeights(Path manifest, WeightsFile.ReadLimits limits, OptionNames names) {
        SourcePos pos = new SourcePos(manifest.toString(), 1, 1);
        try {
            return WeightsFile.read(manifest, limits);
        } catch (NoSuchFileException e) {
            String weights = names.name(CompileOption.WEIGHTS);
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "weights file not found (run 'striate init'"
                    + " to create seeded weights" + (weights == null ? "" : ", or pass " + weights) + ")"));
        } catch (WeightsException e) {
            ErrorCode code = switch (e.kind()) {
                case MALFORMED -> ErrorCode.CORRUPT_WEIGHTS;
                case CORRUPT -> ErrorCode.CORRUPT_WEIGHTS;
                case NON_FINITE -> ErrorCode.NON_FINITE_WEIGHT;
                case BAD_PATH -> ErrorCode.WEIGHTS_PATH;
                case TOO_LARGE -> ErrorCode.WEIGHTS_TOO_LARGE;
            };
            SourcePos at = e.line() > 0 ? new SourcePos(manifest.toString(), e.line(), Math.max(1, e.column())) : pos;
            throw new CompileException(Diagnostic.error(code, at, e.getMessage()));
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "cannot read weights: " + e.getMessage()));
        }
    }

    /**
     * Reads a source file as strict UTF-8 (a leading byte order mark is dropped), reporting a
     * missing file or bytes that are not UTF-8 as a user error.
     */
    public static String readSource(Path source) {
        SourcePos pos = new SourcePos(source.toString(), 0, 0);
        try {
            if (Files.exists(source) && !Files.isRegularFile(source)) {
                throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, Files.isDirectory(source)
                        ? "is a folder, not a model file" : "is not a regular file (a device or a pipe?)"));
            }
            long size = Files.size(source);
            if (size > MAX_SOURCE_BYTES) {
                throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "is " + size
                        + " bytes; a model file may have at most " + MAX_SOURCE_BYTES + " (64 MiB)"));
            }
            return SourceText.decode(Files.readAllBytes(source), source.toString());
        } catch (NoSuchFileException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "file not found"));
        } catch (IOException e) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, pos, "cannot read: " + e.getMessage()));
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
