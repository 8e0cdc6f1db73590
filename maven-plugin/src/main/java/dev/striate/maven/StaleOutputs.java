package dev.striate.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.plugin.logging.Log;

/**
 * Removes what a deleted model generated: for each state file whose model is gone, its outputs
 * (unless a remaining model now generates the same file) and the state file itself.
 */
final class StaleOutputs {
    static final String SUFFIX = ".state";

    private final Path stateDirectory;
    private final Log log;

    StaleOutputs(Path stateDirectory, Log log) {
        this.stateDirectory = stateDirectory;
        this.log = log;
    }

    /** Removes the outputs of models no longer in {@code models}; returns the files deleted. */
    List<Path> removeDeleted(List<ModelSource> models, Collection<Path> stillGenerated) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(stateDirectory)) {
            return removed;
        }
        Set<Path> current = models.stream()
                .map(m -> stateDirectory.resolve(m.relativePath() + SUFFIX).toAbsolutePath().normalize())
                .collect(Collectors.toSet());
        Set<Path> keep = new HashSet<>(stillGenerated);
        List<Path> orphans;
        try (Stream<Path> files = Files.walk(stateDirectory)) {
            orphans = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
                    .filter(f -> !current.contains(f.toAbsolutePath().normalize()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        for (Path orphan : orphans) {
            Optional<BuildState> state = BuildState.read(orphan);
            if (state.isPresent()) {
                for (Path out : state.get().outputs()) {
                    if (!keep.contains(out.toAbsolutePath().normalize()) && Files.deleteIfExists(out)) {
                        log.info("Removed " + out + " (its model was deleted or excluded)");
                        removed.add(out);
                    }
                }
            }
            Files.delete(orphan);
        }
        return removed;
    }
}
