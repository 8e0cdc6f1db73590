package dev.striate.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks shared by the {@link Dataset} implementations, and default class names. */
final class Datasets {
    private Datasets() {
    }

    /** {@code "0", "1", ...}: the class names of a data set whose labels are digits or plain numbers. */
    static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return List.copyOf(names);
    }

    static void checkLabels(int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    static List<String> checkNames(List<String> classNames) {
        List<String> names = List.copyOf(classNames);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one class");
        }
        names.forEach(Objects::requireNonNull);
        return names;
    }

    static void checkIndex(int i, int size) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("image " + i + " of a data set of " + size);
        }
    }
}
