package dev.striate;

import dev.striate.backend.GeneratedFile;
import dev.striate.diag.Diagnostic;
import dev.striate.ir.Graph;
import dev.striate.passes.PassLog;
import java.nio.file.Path;
import java.util.List;

/**
 * What a compilation produced: the files (with where they were written, and whether their
 * content changed), the warnings, the final (optimized) graph and the log of the passes.
 */
public record CompileResult(Graph graph, List<GeneratedFile> files, List<Path> written, List<Path> unchanged,
                            List<Diagnostic> warnings, PassLog passLog) {
}
