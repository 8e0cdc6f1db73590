package dev.striate.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads an image-folder data set (torchvision's {@code ImageFolder} layout): one subfolder per
 * class under a root (label = the position of the folder's name in a given class list, by
 * default the folder names sorted), and in each the
 * {@code .png}, {@code .jpg} and {@code .jpeg} files (case-insensitive), sorted by name. Other
 * files and hidden entries (names starting with a dot) are ignored. Images are read by
 * {@link ImageFile} (decoder, color conversion, alpha over white, bilinear resize, pinned there).
 * Pixel values are {@code 0..255}.
 * All problems (unreadable files, empty classes) are collected and reported together.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * Loads every image under {@code root} as {@code mode} images of {@code height x width}; the
     * classes are the class folders in name order ({@link #classFolders}).
     */
    public static FloatImageDataset load(Path root, ColorMode mode, int height, int width) throws IOException {
        return load(root, mode, height, width, classFolders(root));
    }

    /**
     * The names of the class folders under {@code root} (its subfolders that are not hidden),
     * sorted by {@link String#compareTo}.
     */
    public static List<String> classFolders(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataException(root + ": not a folder (an image folder has one subfolder per class)");
        }
        List<String> names = sorted(root, Files::isDirectory).stream().map(p -> p.getFileName().toString()).toList();
        if (names.isEmpty()) {
            throw new DataException(root + ": no class folders (an image folder has one subfolder per class)");
        }
        return names;
    }

    /**
     * Loads every image under {@code root} as {@code mode} images of {@code height x width}; an
     * image's label is the position of its class folder's name in {@code classNames} (matched
     * exactly, case-sensitive), which is also the data set's class list. Every class folder must
     * be named in {@code classNames}; names without a folder have no images (a test set may hold
     * some of the classes).
     */
    public static FloatImageDataset load(Path root, ColorMode mode, int height, int width, List<String> classNames)
            throws IOException {
        ImageShape shape = new ImageShape(mode.channels(), height, width);
        List<String> folders = classFolders(root);
        List<String> errors = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String name : folders) {
            Path dir = root.resolve(name);
            int label = classNames.indexOf(name);
            if (label < 0) {
                errors.add(dir + ": no class of the model is named after this folder");
                continue;
            }
            List<Path> files = sorted(dir, p -> Files.isRegularFile(p) && isImageName(p));
            if (files.isEmpty()) {
                errors.add(dir + ": class folder has no .png, .jpg or .jpeg files");
            }
            for (Path file : files) {
                try {
                    images.add(read(file, mode, height, width));
                    labels.add(label);
                } catch (DataException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new DataException(errors.size() == 1 ? errors.get(0)
                    : errors.size() + " problems in " + root + ":\n  " + String.join("\n  ", errors));
        }
        if ((long) images.size() * shape.size() > Integer.MAX_VALUE - 8) {
            throw new DataException(root + ": " + images.size() + " images of " + shape + " do not fit one Java array");
        }
        float[] pixels = new float[images.size() * shape.size()];
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(images.get(i), 0, pixels, i * shape.size(), shape.size());
            y[i] = labels.get(i);
        }
        return new FloatImageDataset(shape, pixels, y, classNames);
    }

    /** Reads one image file, converted to {@code mode} and resized to {@code height x width} ({@link ImageFile}). */
    public static float[] read(Path file, ColorMode mode, int height, int width) throws DataException {
        return ImageFile.read(file, mode, height, width);
    }

    /** Whether the file name ends in {@code .png}, {@code .jpg} or {@code .jpeg}, in any case. */
    public static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static List<Path> sorted(Path dir, java.util.function.Predicate<Path> keep) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(keep)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
    }
}
