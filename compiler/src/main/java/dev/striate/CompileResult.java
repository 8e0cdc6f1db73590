package dev.striate;

import dev.striate.backend.GeneratedFile;
import dev.striate.diag.Diagnostic;
import dev.striate.ir.Graph;
import java.nio.file.Path;
import java.util.List;

/**
 * What a compilation produced: the files (with where they were written, and whether their
 * content changed), the warnings, and the final graph.
 */
public record CompileResult(Graph graph, List<GeneratedFile> files, List<Path> written, List<Path> unchanged,
                            List<Diagnostic> warnings) {
}
