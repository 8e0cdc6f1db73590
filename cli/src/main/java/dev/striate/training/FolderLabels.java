package dev.striate.training;

import dev.striate.data.ImageFolder;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.text.NameRules;
import dev.striate.weights.Show;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Matches the class folders of an image data set to a model's classes, by name and
 * case-sensitively. With labels (declared in the model, or recorded in its weights by
 * {@code striate train}), a folder's class is the position of its name among them: a training set
 * needs a folder for every label, an evaluation set may hold some of the classes, and a folder no
 * label names is an error (E510) in both. Without labels, the training set's folder names, in
 * name order, become the labels, and an evaluation set must have one folder per class.
 */
final class FolderLabels {
    private static final int MAX_LISTED = 20;

    private FolderLabels() {
    }

    /** The class list of the training folder {@code root}: {@code labels} or, when empty, its folder names. */
    static List<String> forTraining(Path root, List<String> labels, int classes) throws IOException {
        List<String> folders = folders(root);
        if (!labels.isEmpty()) {
            List<String> unknown = without(folders, labels);
            List<String> missing = without(labels, folders);
            if (!unknown.isEmpty() || !missing.isEmpty()) {
                throw error(root, "the class folders do not match the model's labels " + listed(labels) + ":"
                        + unknownPart(unknown, labels)
                        + (missing.isEmpty() ? "" : " no folder for " + listed(missing)
                                + " (training needs images of every class);")
                        + " folders are matched to labels by name, case-sensitively");
            }
            return labels;
        }
        if (folders.size() != classes) {
            throw error(root, folders.size() + " class folder" + (folders.size() == 1 ? "" : "s") + " "
                    + listed(folders) + " for a model with " + classes + " outputs; without declared labels,"
                    + " the folder names, in name order, are the classes");
        }
        return folders;
    }

    /**
     * The class list for the evaluation folder {@code root}: {@code labels} (the folders must be
     * some of them) or, when empty, its folder names, which must then be one per class.
     */
    static List<String> forEvaluation(Path root, List<String> labels, int classes) throws IOException {
        List<String> folders = folders(root);
        if (!labels.isEmpty()) {
            List<String> unknown = without(folders, labels);
            if (!unknown.isEmpty()) {
                throw error(root, "the class folders do not match the model's labels " + listed(labels) + ":"
                        + unknownPart(unknown, labels) + " folders are matched to labels by name, case-sensitively");
            }
            return labels;
        }
        if (folders.size() != classes) {
            throw error(root, folders.size() + " class folder" + (folders.size() == 1 ? "" : "s") + " "
                    + listed(folders) + " for a model with " + classes + " outputs, and neither the model nor its"
                    + " weights name the classes; declare them with labels [...] in the model (a folder set"
                    + " holding some of the classes is matched by name), or train again: striate train records"
                    + " the folder names in the weights");
        }
        return folders;
    }

    /** The class folders of {@code root}, in name order, each name checked to be a printable label. */
    static List<String> folders(Path root) throws IOException {
        List<String> folders = ImageFolder.classFolders(root);
        List<String> problems = new ArrayList<>();
        for (String f : folders) {
            String problem = NameRules.textProblem(f, "the folder name \"" + Show.text(f) + "\"");
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw error(root, "class folder names become labels: " + String.join("; ", problems));
        }
        return folders;
    }

    private static String unknownPart(List<String> unknown, List<String> labels) {
        if (unknown.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" no label names the folder" + (unknown.size() == 1 ? " " : "s ")
                + listed(unknown));
        for (String u : unknown.subList(0, Math.min(unknown.size(), MAX_LISTED))) {
            for (String l : labels) {
                if (l.toLowerCase(Locale.ROOT).equals(u.toLowerCase(Locale.ROOT))) {
                    sb.append(" (\"").append(Show.text(u)).append("\" differs from the label \"").append(Show.text(l))
                            .append("\" in case)");
                }
            }
        }
        return sb.append(';').toString();
    }

    private static List<String> without(List<String> from, List<String> remove) {
        Set<String> gone = new HashSet<>(remove);
        return from.stream().filter(name -> !gone.contains(name)).toList();
    }

    /** The names quoted, in brackets, cut after {@value #MAX_LISTED}. */
    static String listed(List<String> names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(names.size(), MAX_LISTED); i++) {
            sb.append(i == 0 ? "\"" : ", \"").append(Show.text(names.get(i))).append('"');
        }
        return sb.append(names.size() > MAX_LISTED ? ", ... (" + names.size() + " in all)]" : "]").toString();
    }

    private static CompileException error(Path where, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.DATA_LABELS, new SourcePos(where.toString(), 0, 0),
                message));
    }
}
