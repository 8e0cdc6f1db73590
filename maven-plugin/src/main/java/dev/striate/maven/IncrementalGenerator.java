package dev.striate.maven;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.OptionNames;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.weights.Show;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.maven.plugin.logging.Log;

/**
 * Compiles a project's models through {@link Compiler#compile}, skipping each model whose
 * inputs and settings did not change since its last successful compilation, and collecting
 * every error of every model instead of stopping at the first. Diagnostics go to a
 * {@link BuildFeedback} as they are found (the log, and the IDE's markers).
 */
public final class IncrementalGenerator {
    /**
     * The plugin's names for the settings the compiler's messages mention: its parameters. The
     * weights manifest has no parameter (it is always {@code <model>.weights.json} beside the model).
     */
    static final OptionNames PARAMETERS = option -> switch (option) {
        case MAX_PARAMS -> "<maxParams>";
        case MAX_ACTIVATION_FLOATS -> "<maxActivationFloats>";
        case MAX_WEIGHTS_BYTES -> "<maxWeightsBytes>";
        case SINGLE_FILE -> "<singleFile>";
        case WEIGHTS -> null;
    };

    private final GeneratorSettings settings;
    private final Function<CompileRequest, CompileResult> compiler;
    private final String compilerStamp;
    private final Log log;
    private final BuildFeedback feedback;
    private final StaleOutputs staleOutputs;

    /** A generator that reports to {@code log} only (Maven's default build context). */
    public IncrementalGenerator(GeneratorSettings settings, Function<CompileRequest, CompileResult> compiler,
                                String compilerStamp, Log log) {
        this(settings, compiler, compilerStamp, new BuildFeedback(log, null));
    }

    /**
     * @param compiler      the compilation to run ({@code Compiler::compile}; tests pass a fake)
     * @param compilerStamp identifies the compiler build, so that a new compiler regenerates everything
     * @param feedback      where diagnostics, written files and questions about changes go
     */
    IncrementalGenerator(GeneratorSettings settings, Function<CompileRequest, CompileResult> compiler,
                         String compilerStamp, BuildFeedback feedback) {
        this.settings = settings;
        this.compiler = compiler;
        this.compilerStamp = compilerStamp;
        this.log = feedback.log();
        this.feedback = feedback;
        this.staleOutputs = new StaleOutputs(settings.stateDirectory(), log);
    }

    /**
     * Compiles every model that needs it, reporting each diagnostic to the feedback as it is
     * found, and removes what deleted (or no longer included) models generated. Returns what
     * happened, with every error.
     */
    public Outcome run(List<ModelSource> models) throws IOException {
        return run(models, List.of(), null);
    }

    /**
     * {@link #run(List)}, then compiles each ensemble through {@code ensembleCompiler}. Ensembles are compiled on
     * every run (no state of their own; unchanged files are not rewritten), and their files count as generated, so
     * the clean-up of deleted models leaves them alone.
     */
    Outcome run(List<ModelSource> models, List<EnsembleSource> ensembles,
                Function<EnsembleRequest, CompileResult> ensembleCompiler) throws IOException {
        List<Diagnostic> errors = new ArrayList<>();
        Map<Path, ModelSource> owners = new HashMap<>();
        int compiled = 0;
        int upToDate = 0;
        for (ModelSource model : models) {
            String pkg = settings.packageFor(model);
            String problem = ModelScanner.packageProblem(pkg);
            if (problem != null) {
                feedback.clear(List.of(model.file()));
                report(model, List.of(Diagnostic.error(ErrorCode.BAD_CLASS_NAME, wholeFile(model),
                        "package name '" + Show.text(pkg) + "' (from the model's folder or <packageName>) " + problem
                                + "; rename the folder or set <packageName>")), errors);
                continue;
            }
            CompileRequest request = request(model, pkg);
            String options = options(pkg);
            Path stateFile = stateFile(model);
            Optional<BuildState> previous = BuildState.read(stateFile);
            if (previous.isPresent() && isUpToDate(previous.get(), options, model, request)) {
                log.info(model.displayPath() + " is up to date");
                claim(owners, model, previous.get().outputs(), errors);
                upToDate++;
                continue;
            }
            List<FileStamp> stamps = new ArrayList<>();
            for (Path in : ModelInputs.of(model.file(), request.weightsPath())) {
                stamps.add(FileStamp.of(in));
            }
            log.info("Compiling " + model.displayPath());
            Files.deleteIfExists(stateFile);
            feedback.clear(List.of(model.file(), request.weightsPath()));
            CompileResult result;
            try {
                result = compiler.apply(request);
            } catch (CompileException e) {
                report(model, e.diagnostics(), errors);
                continue;
            }
            report(model, result.warnings(), errors);
            List<Path> outputs = outputs(result);
            for (Path w : result.written()) {
                log.debug("  wrote " + w);
                feedback.refresh(w);
            }
            new BuildState(options, stamps, outputs).write(stateFile);
            claim(owners, model, outputs, errors);
            compiled++;
        }
        int ensemblesCompiled = 0;
        for (EnsembleSource ensemble : ensembles) {
            ensemblesCompiled += compileEnsemble(ensemble, ensembleCompiler, owners, errors) ? 1 : 0;
        }
        staleOutputs.removeDeleted(models, owners.keySet()).forEach(feedback::refresh);
        feedback.finish();
        return new Outcome(compiled, upToDate, List.copyOf(errors), ensemblesCompiled);
    }

    /** Every file a compilation generated, written or unchanged, sorted. */
    private static List<Path> outputs(CompileResult result) {
        List<Path> outputs = new ArrayList<>(result.written());
        outputs.addAll(result.unchanged());
        outputs.sort(null);
        return outputs;
    }

    /** The request compiling {@code model} in package {@code pkg} with these settings. */
    private CompileRequest request(ModelSource model, String pkg) {
        return CompileRequest.builder(model.file())
                .packageName(pkg)
                .singleFile(settings.singleFile())
                .optimize(settings.optimize())
                .vector(settings.vector())
                .limits(settings.limits())
                .sourceOutput(settings.sourceOutput())
                .resourceOutput(settings.resourceOutput())
                .optionNames(PARAMETERS)
                .build();
    }

    /**
     * Compiles one ensemble in its first member's package; its diagnostics are reported at the member they name
     * (or at the first member). Returns whether it compiled.
     */
    private boolean compileEnsemble(EnsembleSource ensemble, Function<EnsembleRequest, CompileResult> ensembleCompiler,
                                    Map<Path, ModelSource> owners, List<Diagnostic> errors) throws IOException {
        ModelSource first = ensemble.members().get(0);
        String pkg = settings.packageFor(first);
        ModelSource owner = new ModelSource(first.file(), Path.of("ensemble " + ensemble.name()), pkg);
        String problem = ModelScanner.packageProblem(pkg);
        if (problem != null) {
            report(first, List.of(Diagnostic.error(ErrorCode.BAD_CLASS_NAME, wholeFile(first), "package name '"
                    + Show.text(pkg) + "' of ensemble " + Show.text(ensemble.name()) + " " + problem)), errors);
            return false;
        }
        List<CompileRequest> members = new ArrayList<>();
        ensemble.members().forEach(m -> members.add(request(m, pkg)));
        log.info("Compiling ensemble " + ensemble.name());
        CompileResult result;
        try {
            result = ensembleCompiler.apply(new EnsembleRequest(ensemble.name(), members, ensemble.weights()));
        } catch (CompileException e) {
            report(first, e.diagnostics(), errors);
            return false;
        }
        report(first, result.warnings(), errors);
        List<Path> outputs = outputs(result);
        result.written().forEach(feedback::refresh);
        claim(owners, owner, outputs, errors);
        return true;
    }

    /**
     * Whether {@code previous} still describes what compiling {@code model} would give: the same
     * settings and existing outputs, and inputs that did not change (which an IDE's incremental
     * build answers from its delta; otherwise their content decides).
     */
    private boolean isUpToDate(BuildState previous, String options, ModelSource model, CompileRequest request)
            throws IOException {
        if (!previous.sameRun(options, existing(model.file(), request.weightsPath()))) {
            return false;
        }
        List<Path> inputs = previous.inputs().stream().map(FileStamp::path).toList();
        return !feedback.mayHaveChanged(inputs) || previous.inputsUnchanged();
    }

    /** Reports each diagnostic; one without a position (from the back end) is placed at its model. */
    private void report(ModelSource model, List<Diagnostic> diagnostics, List<Diagnostic> errors) {
        for (Diagnostic found : diagnostics) {
            Diagnostic d = found.pos() == null || found.pos().equals(SourcePos.NONE)
                    ? new Diagnostic(found.severity(), found.code(), wholeFile(model), found.message()) : found;
            feedback.report(d, model.file());
            if (d.isError()) {
                errors.add(d);
            }
        }
    }

    private static SourcePos wholeFile(ModelSource model) {
        return new SourcePos(model.file().toString(), 0, 0);
    }

    /**
     * Records that {@code model} generates {@code outputs}. A file another model also generates
     * is an error (one per pair of models); both models lose their state, since one overwrote
     * the other's file, so that both are compiled again once the clash is fixed.
     */
    private void claim(Map<Path, ModelSource> owners, ModelSource model, List<Path> outputs, List<Diagnostic> errors)
            throws IOException {
        for (Path out : outputs) {
            ModelSource other = owners.putIfAbsent(out.toAbsolutePath().normalize(), model);
            if (other != null && !other.equals(model)) {
                report(model, List.of(Diagnostic.error(ErrorCode.DUPLICATE_NAME, wholeFile(model), "generates " + out
                        + ", which " + other.displayPath() + " also generates; give one model another name or package")),
                        errors);
                Files.deleteIfExists(stateFile(model));
                Files.deleteIfExists(stateFile(other));
                return;
            }
        }
    }

    private static List<Path> existing(Path... files) {
        return Arrays.stream(files).filter(Files::isRegularFile).toList();
    }

    private Path stateFile(ModelSource model) {
        return settings.stateDirectory().resolve(model.relativePath() + StaleOutputs.SUFFIX);
    }

    private String options(String pkg) {
        return "package=" + pkg + " singleFile=" + settings.singleFile() + " optimize=" + settings.optimize()
                + " vector=" + settings.vector()
                + " maxParams=" + settings.limits().maxParams()
                + " maxActivationFloats=" + settings.limits().maxActivationFloats()
                + " maxWeightsBytes=" + settings.limits().maxWeightsBytes()
                + " sources=" + settings.sourceOutput().toAbsolutePath()
                + " resources=" + settings.resourceOutput().toAbsolutePath()
                + " compiler=" + compilerStamp;
    }

    /**
     * The size and time of the jar that {@code type} was loaded from, or for a classes folder
     * (a reactor build) its newest file's time, so that a rebuilt compiler regenerates everything.
     */
    static String stampOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null) {
                return "unknown";
            }
            return stampOf(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The stamp of a jar file or classes folder (see {@link #stampOf(Class)}). */
    static String stampOf(Path location) {
        try {
            if (Files.isRegularFile(location)) {
                return location.getFileName() + ":" + Files.size(location) + ":"
                        + Files.getLastModifiedTime(location).toMillis();
            }
            try (Stream<Path> files = Files.walk(location)) {
                long newest = files.filter(Files::isRegularFile)
                        .mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
                return location.getFileName() + ":" + newest;
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * What one run did.
     *
     * @param compiled  models compiled
     * @param upToDate  models skipped because nothing changed
     * @param errors    every error, in the order found
     * @param ensembles ensembles compiled
     */
    public record Outcome(int compiled, int upToDate, List<Diagnostic> errors, int ensembles) {
        /** What a run without ensembles did. */
        public Outcome(int compiled, int upToDate, List<Diagnostic> errors) {
            this(compiled, upToDate, errors, 0);
        }
    }
}
