package dev.striate.maven;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.Limits;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles every {@code .cnn} model under {@code sourceDirectory} (weights beside each model as
 * {@code <name>.weights.json}) into a standalone Java classifier, adds the generated sources as a
 * compile source root and the weights blobs as a resource root. Models whose model file, weights
 * and settings did not change since the last build are not recompiled. Errors fail the build
 * with one {@code file:line:col: error: message [code]} line each.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** Where the {@code .cnn} models are; a model's folder under it is its package. */
    @Parameter(property = "striate.sourceDirectory", defaultValue = "${project.basedir}/src/main/striate")
    File sourceDirectory;

    /** Where the generated Java sources go; added to the project's compile source roots. */
    @Parameter(property = "striate.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/striate")
    File outputDirectory;

    /** Where the generated weights blobs go; added to the project's resources. */
    @Parameter(property = "striate.resourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/striate")
    File resourceOutputDirectory;

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
     * Run the optimization passes (batch-norm folding, activation and pool fusion, ...), as
     * {@code striate compile} does; false emits each model as written ({@code --no-optimize}).
     */
    @Parameter(property = "striate.optimize", defaultValue = "true")
    boolean optimize;

    /**
     * Refuse models declaring more parameters than this ({@code --max-params}). Default: this
     * JVM's maximum heap / 16 bytes; raise it (and the build's {@code -Xmx}) for larger models.
     */
    @Parameter(property = "striate.maxParams")
    Long maxParams;

    /**
     * Refuse models with a layer output, or forward-pass scratch, of more floats than this
     * ({@code --max-activation-floats}). Default: this JVM's maximum heap / 8 bytes.
     */
    @Parameter(property = "striate.maxActivationFloats")
    Long maxActivationFloats;

    /**
     * Refuse weights files larger than this many bytes ({@code --max-weights-bytes}). Default:
     * this JVM's maximum heap / 4.
     */
    @Parameter(property = "striate.maxWeightsBytes")
    Long maxWeightsBytes;

    /** Skip the goal: nothing is compiled and no source root is added. */
    @Parameter(property = "striate.skip", defaultValue = "false")
    boolean skip;

    /**
     * Where the incremental build remembers what each model's last compilation read and wrote,
     * in one folder per execution of the goal.
     */
    @Parameter(defaultValue = "${project.build.directory}/striate-state", readonly = true, required = true)
    File stateDirectory;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution execution;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** The compilation each model goes through; tests replace it. */
    Function<CompileRequest, CompileResult> compiler = Compiler::compile;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping Striate generation (striate.skip=true)");
            return;
        }
        List<ModelSource> models;
        try {
            models = ModelScanner.scan(sourceDirectory.toPath().toAbsolutePath());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list the models in " + sourceDirectory + ": " + e.getMessage(), e);
        }
        if (models.isEmpty()) {
            getLog().info("No Striate models (*.cnn) in " + sourceDirectory);
            return;
        }
        GeneratorSettings settings = new GeneratorSettings(outputDirectory.toPath().toAbsolutePath(),
                resourceOutputDirectory.toPath().toAbsolutePath(), executionStateDirectory(),
                packageName, singleFile, optimize, limits());
        long start = System.nanoTime();
        IncrementalGenerator.Outcome outcome;
        try {
            outcome = new IncrementalGenerator(settings, compiler, IncrementalGenerator.stampOf(Compiler.class),
                    getLog()).run(models);
        } catch (IOException e) {
            throw new MojoExecutionException("Striate generation failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("Internal error in the Striate compiler: " + e, e);
        }
        addRoots();
        if (!outcome.errors().isEmpty()) {
            outcome.errors().forEach(getLog()::error);
            throw new MojoFailureException(FailureMessage.of(outcome.errors()));
        }
        getLog().info("Striate: " + plural(outcome.compiled(), "model") + " compiled, "
                + outcome.upToDate() + " up to date in "
                + String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - start) / 1e9));
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

    /** Each execution keeps its own state, so that one never takes another's models for deleted ones. */
    private Path executionStateDirectory() {
        Path dir = stateDirectory.toPath().toAbsolutePath();
        return execution == null ? dir : dir.resolve(execution.getExecutionId());
    }

    private void addRoots() {
        String sources = outputDirectory.getAbsolutePath();
        if (!project.getCompileSourceRoots().contains(sources)) {
            project.addCompileSourceRoot(sources);
        }
        String resources = resourceOutputDirectory.getAbsolutePath();
        boolean present = project.getResources().stream().anyMatch(r -> resources.equals(r.getDirectory()));
        if (!singleFile && !present) {
            Resource resource = new Resource();
            resource.setDirectory(resources);
            project.addResource(resource);
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
