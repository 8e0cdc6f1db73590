package dev.striate.cli;

import dev.striate.CompileRequest;
import dev.striate.EnsembleRequest;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --ensemble} options, shared by {@code compile}, {@code check} and {@code predict} so that the
 * three build the same {@link EnsembleRequest} from the same options and refuse the same mistakes.
 */
final class EnsembleOptions {
    /** The description of {@code compile}'s and {@code check}'s model files after the first. */
    static final String MORE_MODELS = "With --ensemble: the other members' model files (a file may be given more "
            + "than once, with other weights).";

    @Option(names = "--ensemble", paramLabel = "NAME",
            description = "Use the models as one class NAME averaging their outputs (the probabilities of "
                    + "models ending in softmax), same API as one model; each model becomes the class "
                    + "NAMEMember1, NAMEMember2, ... beside it (docs/serving.md).")
    String ensemble;

    @Option(names = "--ensemble-weights", paramLabel = "W", split = ",",
            description = "With --ensemble: each model's weight in the average, in order (normalized to sum to 1; "
                    + "default: equal).")
    List<Double> ensembleWeights = new ArrayList<>();

    @Option(names = "--member-weights", paramLabel = "W.weights.json", split = ",",
            description = "With --ensemble: each model's weights manifest, in order (default: MODEL.weights.json "
                    + "beside each model file).")
    List<Path> memberWeights = new ArrayList<>();

    /** Whether {@code --ensemble} was given. */
    boolean enabled() {
        return ensemble != null;
    }

    /**
     * Refuses ensemble options without {@code --ensemble}, several models without it ({@code severalHow} says
     * how the command takes them), a bad NAME, and the options {@code --ensemble} replaces.
     */
    void check(CommandSpec spec, ClassOptions classOptions, WeightsOption weights, int models, String severalHow) {
        if (ensemble == null) {
            if (models > 1) {
                throw new ParameterException(spec.commandLine(), "several model files are " + severalHow
                        + " only with --ensemble NAME (one class averaging them); give one model per call otherwise");
            }
            if (!ensembleWeights.isEmpty() || !memberWeights.isEmpty()) {
                throw new ParameterException(spec.commandLine(), (ensembleWeights.isEmpty() ? "--member-weights"
                        : "--ensemble-weights") + " needs --ensemble NAME");
            }
            return;
        }
        String problem = NameRules.classNameProblem(ensemble);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--ensemble '" + Show.text(ensemble) + "' " + problem);
        }
        if (classOptions != null && classOptions.className != null) {
            throw new ParameterException(spec.commandLine(), "--class does not apply to --ensemble: the ensemble's "
                    + "class is --ensemble's NAME, its members' classes NAMEMember1, NAMEMember2, ...");
        }
        if (weights.weights() != null) {
            throw new ParameterException(spec.commandLine(), "--weights names one model's weights; with --ensemble "
                    + "give each model's with --member-weights W1.weights.json,W2.weights.json,...");
        }
        if (!memberWeights.isEmpty() && memberWeights.size() != models) {
            throw new ParameterException(spec.commandLine(), "--member-weights names " + memberWeights.size()
                    + " weights files for " + models + " models; give one per model, in order");
        }
    }

    /**
     * The ensemble of {@code first} then {@code more} (in order), each member's request made by {@code member}
     * from its model file and its {@code --member-weights} (null: beside the model), finished by {@code finish}
     * (output folders).
     */
    EnsembleRequest request(Path first, List<Path> more, Member member, UnaryOperator<CompileRequest.Builder> finish) {
        List<Path> sources = new ArrayList<>();
        sources.add(first);
        sources.addAll(more);
        List<CompileRequest> members = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            members.add(finish.apply(member.request(sources.get(i), memberWeights.isEmpty() ? null
                    : memberWeights.get(i))).build());
        }
        return new EnsembleRequest(ensemble, members, ensembleWeights);
    }

    /** How a command makes one member's request from its model file and weights (null: beside the model). */
    @FunctionalInterface
    interface Member {
        CompileRequest.Builder request(Path source, Path weights);
    }
}
