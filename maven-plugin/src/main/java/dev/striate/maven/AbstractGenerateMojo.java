package dev.striate.maven;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.EnsembleRequest;
import dev.striate.Limits;
import dev.striate.importer.onnx.OnnxImport;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.sonatype.plexus.build.incremental.BuildContext;

/**
 * What the {@code generate} and {@code generate-test} goals share: compile every {@code .cnn}
 * model under a source directory (weights beside each model as {@code <name>.weights.json}) into
 * a standalone Java classifier and add the generated folders to the build. Models whose model
 * file, weights and settings did not change since the last build are not recompiled. Each error
 * is logged once as {@code file:line:col: error: message [code]} (and, in an IDE, marked on its
 * line); the build then fails with a one-line summary.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {

    /**
     * The package of every generated class. When unset, each model's package is its folder under
     * {@code sourceDirectory}: {@code src/main/striate/com/acme/digits.cnn} is in {@code com.acme}.
     */
    @Parameter(property = "striate.packageName")
    String packageName;

    /**
     * Embed the weights in the generated source (base64 chunks) instead of a resource blob beside
     * the class, so that the class is one self-contained file.
     */
    @Parameter(property = "striate.singleFile", defaultValue = "false")
    boolean singleFile;

    /**
     * Run the optimization passes (batch-norm folding, activation and pool fusion, ...); false
     * emits each model as written.
     */
    @Parameter(property = "striate.optimize", defaultValue = "true")
    boolean optimize;

    /**
     * Also emit a Vector API implementation in each generated class, used when the module
     * {@code jdk.incubator.vector} is present at run time (the scalar code runs otherwise). The
     * generated sources then need {@code --add-modules jdk.incubator.vector} and release 17 to
     * compile; see docs/vector.md for the compiler and surefire configuration.
     */
    @Parameter(property = "striate.vector", defaultValue = "false")
    boolean vector;

    /**
     * Refuse models declaring more parameters than this. Default: this JVM's maximum heap / 16
     * bytes; raise it (and the build's {@code -Xmx}, e.g. in {@code MAVEN_OPTS}) for larger models.
     */
    @Parameter(property = "striate.maxParams")
    Long maxParams;

    /**
     * Refuse models with a layer output, or forward-pass scratch, of more floats than this.
     * Default: this JVM's maximum heap / 8 bytes.
     */
    @Parameter(property = "striate.maxActivationFloats")
    Long maxActivationFloats;

    /** Refuse weights files larger than this many bytes. Default: this JVM's maximum heap / 4. */
    @Parameter(property = "striate.maxWeightsBytes")
    Long maxWeightsBytes;

    /**
     * Which models to compile: Ant-style patterns relative to the source directory, such as
     * {@code com/acme/**}{@code /*.cnn}. Default: {@code **}{@code /*.cnn}, {@code **}{@code /*.onnx}, {@code **}{@code /*.keras}, {@code **}{@code /*.h5}.
     * Only {@code .cnn}, {@code .onnx}, {@code .keras} and {@code .h5} files are models, whatever the patterns say.
     */
    @Parameter(property = "striate.includes")
    List<String> includes;

    /**
     * Models not to compile: Ant-style patterns relative to the source directory, applied after
     * {@code includes}. The outputs of a model that becomes excluded are removed.
     */
    @Parameter(property = "striate.excludes")
    List<String> excludes;

    /**
     * Skip the goal: nothing is compiled or removed, but a generated folder that an earlier build
     * left is still added to the build, so that the classes it holds still compile.
     */
    @Parameter(property = "striate.skip", defaultValue = "false")
    boolean skip;

    /**
     * Ensembles to compile besides the models: each an {@code <ensemble>} with a {@code <name>}, its
     * {@code <models>} (paths relative to {@code sourceDirectory}, weights beside each model) and optional
     * {@code <weights>}; see docs/serving.md, "Ensembles". The member models are also compiled on their own.
     */
    @Parameter
    List<Ensemble> ensembles;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution execution;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The IDE's view of the build (m2e), or Maven's plain file-system one on the command line. */
    @Component
    BuildContext buildContext;

    /** The compilation each model goes through (an {@code .onnx}, {@code .keras} or {@code .h5} model is imported first); tests replace it. */
    Function<CompileRequest, CompileResult> compiler = OnnxImport::compile;

    /** The compilation each ensemble goes through. */
    Function<EnsembleRequest, CompileResult> ensembleCompiler = Compiler::compileEnsemble;

    /**
     * The folders of one goal.
     *
     * @param source    where the models are
     * @param output    where the generated Java sources go
     * @param resources where the generated weights blobs go
     * @param state     where the incremental build keeps its state, one folder per execution
     */
    record Folders(File source, File output, File resources, File state) {
    }

    /** This goal's folders. */
    abstract Folders folders();

    /** Whether the generated code is test code (test source and resource roots). */
    abstract boolean forTests();

    /** Why the goal is skipped ({@code striate.skip=true}), or null to run it. */
    abstract String skipReason();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Folders folders = folders();
        String skipReason = skipReason();
        if (skipReason != null) {
            getLog().info("Skipping Striate generation (" + skipReason + "); earlier generated folders stay in the build");
            addRoots(folders, true);
            return;
        }
        List<ModelSource> models;
        try {
            models = ModelScanner.scan(folders.source().toPath().toAbsolutePath(), patterns(includes),
                    patterns(excludes));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list the models in " + folders.source() + ": " + e.getMessage(), e);
        }
        GeneratorSettings settings = new GeneratorSettings(folders.output().toPath().toAbsolutePath(),
                folders.resources().toPath().toAbsolutePath(), executionStateDirectory(folders),
                packageName, singleFile, optimize, limits(), vector);
        long start = System.nanoTime();
        List<EnsembleSource> ensembleSources = ensembles(folders.source().toPath().toAbsolutePath());
        IncrementalGenerator.Outcome outcome;
        try {
            String stamp = IncrementalGenerator.stampOf(Compiler.class) + "+" + IncrementalGenerator.stampOf(OnnxImport.class);
            outcome = new IncrementalGenerator(settings, compiler, stamp, new BuildFeedback(getLog(), buildContext))
                    .run(models, ensembleSources, ensembleCompiler);
        } catch (IOException e) {
            throw new MojoExecutionException("Striate generation failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("Internal error in the Striate compiler: " + e, e);
        }
        if (models.isEmpty()) {
            getLog().info("No Striate models (" + describePatterns() + ") in " + folders.source());
            return;
        }
        addRoots(folders, false);
        if (!outcome.errors().isEmpty()) {
            throw new MojoFailureException(FailureMessage.of(outcome.errors()));
        }
        getLog().info("Striate: " + BuildFeedback.count(outcome.compiled(), "model") + " compiled, "
                + outcome.upToDate() + " up to date"
                + (outcome.ensembles() == 0 ? "" : ", " + BuildFeedback.count(outcome.ensembles(), "ensemble")
                        + " compiled") + " in "
                + String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - start) / 1e9));
    }

    /** The configured ensembles resolved against the source directory; a malformed one fails the build. */
    List<EnsembleSource> ensembles(Path source) throws MojoExecutionException {
        List<EnsembleSource> resolved = new ArrayList<>();
        for (Ensemble e : ensembles == null ? List.<Ensemble>of() : ensembles) {
            String name = e.name == null ? "" : e.name.trim();
            String problem = NameRules.classNameProblem(name);
            if (problem != null) {
                throw new MojoExecutionException("<ensemble> <name> '" + Show.text(name) + "' " + problem);
            }
            if (e.models == null || e.models.isEmpty()) {
                throw new MojoExecutionException("<ensemble> " + name + " lists no <models>");
            }
            List<ModelSource> members = new ArrayList<>();
            for (String m : e.models) {
                Path rel = Path.of(m.trim());
                members.add(new ModelSource(source.resolve(rel), rel, ModelScanner.folderPackage(rel)));
            }
            List<Double> weights = new ArrayList<>();
            for (String w : e.weights == null ? List.<String>of() : e.weights) {
                try {
                    weights.add(Double.parseDouble(w.trim()));
                } catch (NumberFormatException x) {
                    throw new MojoExecutionException("<ensemble> " + name + ": <weight> '" + Show.text(w)
                            + "' is not a number");
                }
            }
            resolved.add(new EnsembleSource(name, members, weights));
        }
        return resolved;
    }

    /** This JVM's default ceilings, with the parameters given replacing them. */
    Limits limits() throws MojoExecutionException {
        positive("maxParams", maxParams);
        positive("maxActivationFloats", maxActivationFloats);
        positive("maxWeightsBytes", maxWeightsBytes);
        return Limits.defaults().with(maxParams, maxActivationFloats, maxWeightsBytes);
    }

    private static void positive(String name, Long value) throws MojoExecutionException {
        if (value != null && value < 1) {
            throw new MojoExecutionException("<" + name + "> must be at least 1, got " + value);
        }
    }

    private static List<String> patterns(List<String> given) {
        return given == null ? List.of() : given.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    private String describePatterns() {
        List<String> in = patterns(includes);
        List<String> out = patterns(excludes);
        String text = in.isEmpty() ? String.join(", ", ModelScanner.DEFAULT_INCLUDES) : String.join(", ", in);
        return out.isEmpty() ? text : text + " but not " + String.join(", ", out);
    }

    /** Each execution keeps its own state, so that one never takes another's models for deleted ones. */
    private Path executionStateDirectory(Folders folders) {
        Path dir = folders.state().toPath().toAbsolutePath();
        return execution == null ? dir : dir.resolve(execution.getExecutionId());
    }

    /** Adds the generated folders to the build once; with {@code onlyExisting}, only those that exist. */
    private void addRoots(Folders folders, boolean onlyExisting) {
        String sources = folders.output().getAbsolutePath();
        List<String> roots = forTests() ? project.getTestCompileSourceRoots() : project.getCompileSourceRoots();
        if ((!onlyExisting || new File(sources).isDirectory()) && !roots.contains(sources)) {
            if (forTests()) {
                project.addTestCompileSourceRoot(sources);
            } else {
                project.addCompileSourceRoot(sources);
            }
        }
        String resources = folders.resources().getAbsolutePath();
        List<Resource> present = forTests() ? project.getTestResources() : project.getResources();
        if (!singleFile && present.stream().noneMatch(r -> resources.equals(r.getDirectory()))
                && (!onlyExisting || new File(resources).isDirectory())) {
            Resource resource = new Resource();
            resource.setDirectory(resources);
            if (forTests()) {
                project.addTestResource(resource);
            } else {
                project.addResource(resource);
            }
        }
    }
}
