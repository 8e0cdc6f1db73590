package dev.striate.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the last successful compilation of one model read and wrote, saved as a small text file
 * under {@code target/}: the options it ran with, a fingerprint of each input and the outputs.
 * The model is up to date while the options match, every input has the same content and every
 * output still exists.
 *
 * @param options the compilation's settings, as one line (see {@link IncrementalGenerator})
 * @param inputs  the files read, with their fingerprints
 * @param outputs the files generated (sources and resources)
 */
public record BuildState(String options, List<FileStamp> inputs, List<Path> outputs) {
    private static final String HEADER = "striate-build-state 1";

    public BuildState {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Whether a compilation with {@code currentOptions} would change nothing: {@link #sameRun}
     * and {@link #inputsUnchanged}. The manifest itself is not parsed: the blob it names was
     * recorded, and a new blob name means a changed manifest.
     */
    public boolean isUpToDate(String currentOptions, List<Path> required) throws IOException {
        return sameRun(currentOptions, required) && inputsUnchanged();
    }

    /**
     * Whether this state is of a compilation like the one {@code currentOptions} asks for: the
     * options are the same, the recorded inputs include {@code required} (the model and its
     * manifest) and every output exists.
     */
    public boolean sameRun(String currentOptions, List<Path> required) {
        if (!options.equals(currentOptions)) {
            return false;
        }
        List<Path> recorded = inputs.stream().map(FileStamp::path).toList();
        return recorded.containsAll(required) && outputs.stream().allMatch(Files::isRegularFile);
    }

    /** Whether every recorded input still has its recorded content. */
    public boolean inputsUnchanged() throws IOException {
        for (FileStamp old : inputs) {
            if (!old.sameContentAs(old.path())) {
                return false;
            }
        }
        return true;
    }

    /** The state saved in {@code file}, or empty if there is none or it is unreadable. */
    public static Optional<BuildState> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return Optional.empty();
        }
        String options = null;
        List<FileStamp> inputs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ');
            String kind = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (kind) {
                case "options" -> options = rest;
                case "input" -> {
                    Optional<FileStamp> stamp = FileStamp.parse(rest);
                    if (stamp.isEmpty()) {
                        return Optional.empty();
                    }
                    inputs.add(stamp.get());
                }
                case "output" -> outputs.add(Path.of(rest));
                default -> {
                    return Optional.empty();
                }
            }
        }
        return options == null ? Optional.empty() : Optional.of(new BuildState(options, inputs, outputs));
    }

    /** Saves this state to {@code file}, creating its folder. */
    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("options ").append(options).append('\n');
        for (FileStamp in : inputs) {
            text.append("input ").append(in.format()).append('\n');
        }
        for (Path out : outputs) {
            text.append("output ").append(out).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
