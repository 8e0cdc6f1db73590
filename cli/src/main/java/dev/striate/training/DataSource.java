package dev.striate.training;

import dev.striate.data.ByteImageDataset;
import dev.striate.data.ColorMode;
import dev.striate.data.FashionMnist;
import dev.striate.data.Dataset;
import dev.striate.data.ImageFolder;
import dev.striate.data.ImageShape;
import dev.striate.data.Mnist;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data named by {@code --data}: {@code mnist} (the cache {@code striate data mnist} fills),
 * {@code fashion-mnist} (the cache {@code striate data fashion-mnist} fills),
 * a folder holding IDX files under MNIST's names (training set {@code train-images-idx3-ubyte} +
 * {@code train-labels-idx1-ubyte}, test set {@code t10k-...}, each optionally {@code .gz}), or an
 * image folder: {@code DIR/train} and {@code DIR/test} with one subfolder per class, or just
 * class subfolders (then it is the training set, and {@code striate evaluate} reports on all of
 * it). Images of an
 * image folder are read in the model's input shape (1 channel: gray, 3: RGB), and its class
 * folders are matched to the model's labels by name ({@link FolderLabels}); without labels the
 * training set's folder names become them.
 *
 * @param train the training images
 * @param test the test images, or null when there are none
 * @param description what was loaded, for the progress output
 * @param flatFolder whether this is an image folder without {@code train/} and {@code test/}
 * @param recordedLabels the labels {@code striate train} records in the weights: the class list
 *     of an image folder, none for IDX data (whose classes are numbers)
 */
public record DataSource(Dataset train, Dataset test, String description, boolean flatFolder,
                         List<String> recordedLabels) {
    private static final String IMAGE_FOLDER = "image folder ";

    /** How the data will be used: training needs images of every class, evaluation some. */
    public enum Use {
        /** {@code striate train}: the training set (or flat folder) has a folder for every class. */
        TRAIN,
        /** {@code striate evaluate}: every folder names a class, not every class needs a folder. */
        EVALUATE,
        /**
         * Pictures ({@code striate show activations}): only the images matter, so the folders are
         * taken as they are (their names still validated) and IDX labels may be any byte, whatever
         * the model's outputs (an edge detector's or an autoencoder's are no classes).
         */
        IMAGES
    }

    /**
     * Loads {@code spec} for a model whose input is {@code input} and which has {@code classes}
     * outputs named {@code labels} (empty when the model and its weights name none).
     */
    public static DataSource load(String spec, ImageShape input, int classes, List<String> labels, Use use) {
        Path dir = switch (spec) {
            case "mnist" -> Mnist.defaultDirectory();
            case "fashion-mnist" -> FashionMnist.defaultDirectory();
            default -> Path.of(spec);
        };
        try {
            if (spec.equals("fashion-mnist")) {
                FashionMnist f = FashionMnist.load(dir);
                return new DataSource(named(f.train(), labels), named(f.test(), labels), "Fashion-MNIST from " + dir,
                        false, List.of());
            }
            if (spec.equals("mnist")) {
                Mnist m = Mnist.load(dir);
                return new DataSource(named(m.train(), labels), named(m.test(), labels), "MNIST from " + dir, false,
                        List.of());
            }
            if (!Files.isDirectory(dir)) {
                throw error(dir, "not a folder (--data takes 'mnist', 'fashion-mnist' or a folder of IDX files or images)");
            }
            Path trainImages = idx(dir, Mnist.TRAIN_IMAGES);
            if (trainImages != null) {
                int labelled = use == Use.IMAGES ? 256 : classes;
                Dataset train = ByteImageDataset.fromIdx(trainImages, need(dir, Mnist.TRAIN_LABELS), labelled);
                Path testImages = idx(dir, Mnist.TEST_IMAGES);
                Dataset test = testImages == null ? null
                        : ByteImageDataset.fromIdx(testImages, need(dir, Mnist.TEST_LABELS), labelled);
                return new DataSource(named(train, labels), named(test, labels), "IDX files in " + dir, false,
                        List.of());
            }
            ColorMode mode = switch (input.channels()) {
                case 1 -> ColorMode.GRAY;
                case 3 -> ColorMode.RGB;
                default -> throw error(dir, "image folders give 1 (gray) or 3 (RGB) channels; the model reads "
                        + input.channels());
            };
            if (Files.isDirectory(dir.resolve("train"))) {
                Path trainDir = dir.resolve("train");
                List<String> names = classNames(trainDir, labels, classes, use);
                Dataset train = ImageFolder.load(trainDir, mode, input.height(), input.width(), names);
                Path testDir = dir.resolve("test");
                Dataset test = null;
                if (Files.isDirectory(testDir)) {
                    FolderLabels.forEvaluation(testDir, names, classes);
                    test = ImageFolder.load(testDir, mode, input.height(), input.width(), names);
                }
                return new DataSource(train, test, IMAGE_FOLDER + dir, false, names);
            }
            List<String> names = classNames(dir, labels, classes, use);
            Dataset all = ImageFolder.load(dir, mode, input.height(), input.width(), names);
            return new DataSource(all, null, IMAGE_FOLDER + dir, true, names);
        } catch (IOException e) {
            throw error(dir, e.getMessage());
        }
    }

    private static List<String> classNames(Path dir, List<String> labels, int classes, Use use) throws IOException {
        return switch (use) {
            case TRAIN -> FolderLabels.forTraining(dir, labels, classes);
            case EVALUATE -> FolderLabels.forEvaluation(dir, labels, classes);
            case IMAGES -> FolderLabels.folders(dir);
        };
    }

    /**
     * IDX classes are numbered only: when the model's labels (declared, or recorded in its weights) name as many
     * classes, reports use them (label {@code k} is the model's output {@code k}).
     */
    private static Dataset named(Dataset data, List<String> labels) {
        return data == null || labels.isEmpty() || labels.size() != data.classCount() ? data
                : data.withClassNames(labels);
    }

    /** What {@code striate evaluate} reports on: the test set, all of a flat image folder, or a user error. */
    public Dataset evaluationSet() {
        if (flatFolder) {
            return train;
        }
        if (test == null) {
            throw new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(description, 0, 0),
                    "no test set (IDX: t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte; image folder: test/)"));
        }
        return test;
    }

    private static Path idx(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static Path need(Path dir, String name) {
        Path p = idx(dir, name);
        if (p == null) {
            throw error(dir, "missing " + name + " (IDX data needs images and labels)");
        }
        return p;
    }

    private static CompileException error(Path where, String message) {
        return new CompileException(Diagnostic.error(ErrorCode.IO, new SourcePos(where.toString(), 0, 0), message));
    }
}
