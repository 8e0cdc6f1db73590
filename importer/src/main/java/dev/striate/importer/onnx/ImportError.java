package dev.striate.importer.onnx;

import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.nio.file.Path;

/** Builds the importer's user errors: a {@link CompileException} positioned at the imported file. */
public final class ImportError {
    private ImportError() {
    }

    public static CompileException at(Path file, ErrorCode code, String message) {
        return new CompileException(Diagnostic.error(code, new SourcePos(file.toString(), 0, 0), message));
    }
}
