package dev.striate.cli;

import dev.striate.Compiler;
import dev.striate.data.Dataset;
import dev.striate.data.Normalization;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.train.Evaluation;
import dev.striate.train.Evaluator;
import dev.striate.training.DataSource;
import dev.striate.training.ModelRecipe;
import dev.striate.training.ShippedClass;
import dev.striate.training.TrainingRun;
import dev.striate.training.TrainingSetup;
import dev.striate.weights.WeightsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A model with its weights and a test set, loaded as {@code striate evaluate} loads them (the
 * recipe's checks, the weights bound, the data matched to the model's labels, the normalization of
 * training), ready to run the class {@code striate compile} ships over the test set. Shared by
 * {@code evaluate} and {@code report}.
 */
final class TestSet {
    final ModelRecipe recipe;
    final Path manifest;
    final Graph bound;
    final DataSource source;
    final Normalization normalization;

    private TestSet(ModelRecipe recipe, Path manifest, Graph bound, DataSource source, Normalization normalization) {
        this.recipe = recipe;
        this.manifest = manifest;
        this.bound = bound;
        this.source = source;
        this.normalization = normalization;
    }

    /** Loads the model, its weights and the data {@code data} names; warnings go to {@code err}. */
    static TestSet load(ModelArgs model, WeightsOption weights, String data, PrintWriter err) {
        return load(model, weights.resolve(model.source()), data, err);
    }

    /** Loads the model with the weights manifest {@code manifest} and the data {@code data} names. */
    static TestSet load(ModelArgs model, Path manifest, String data, PrintWriter err) {
        return load(model, manifest, data, err, recipe -> { });
    }

    /**
     * As {@link #load(ModelArgs, Path, String, PrintWriter)}, letting {@code refuse} refuse the model (by
     * throwing) once it is read, before its weights and the data are.
     */
    static TestSet load(ModelArgs model, Path manifest, String data, PrintWriter err, Consumer<ModelRecipe> refuse) {
        Diagnostics diagnostics = new Diagnostics();
        ModelRecipe recipe = ModelRecipe.load(model.source(), model.modelName(), model.limits(), diagnostics);
        refuse.accept(recipe);
        recipe.checkTraining(recipe.settings());
        Graph bound = Compiler.bindWeights(recipe.graph(), manifest,
                WeightsFile.ReadLimits.of(model.limits().maxWeightsBytes()), diagnostics);
        Reports.warnings(diagnostics, err);
        DataSource source = DataSource.load(data, recipe.inputShape(), recipe.classes(), bound.labels(),
                DataSource.Use.EVALUATE);
        Normalization normalization = TrainingSetup.normalization(bound, recipe.settings(), source.train(),
                recipe.blockPos());
        return new TestSet(recipe, manifest, bound, source, normalization);
    }

    /** The images evaluated, unnormalized. */
    Dataset images() {
        return source.evaluationSet();
    }

    /** The number of outputs per image. */
    int outputs() {
        return bound.node(bound.outputs().get(0)).shape().size();
    }

    /** Runs the shipped class over the test set; {@code listener} (null for none) sees each image's outputs. */
    Evaluation evaluate(int threads, Evaluator.OutputListener listener) {
        return evaluate(ShippedClass.compile(bound), threads, listener);
    }

    /**
     * Runs {@code shipped} over the test set: a class taking this model's input and giving its outputs (the
     * ensemble class of members agreeing with it), normalized and scored as this model is.
     */
    Evaluation evaluate(ShippedClass shipped, int threads, Evaluator.OutputListener listener) {
        return TrainingRun.evaluate(shipped, bound, images(), normalization, recipe.settings(), threads, listener);
    }

    /** {@code MODEL with WEIGHTS on the test set of DATA}. */
    String heading() {
        return recipe.graph().name() + " with " + manifest + " on " + (source.flatFolder() ? "all of "
                : "the test set of ") + source.description();
    }
}
