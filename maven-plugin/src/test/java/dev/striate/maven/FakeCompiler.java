package dev.striate.maven;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.backend.GeneratedFile;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Stands in for {@link Compiler#compile} so the incremental logic is tested on its own: the
 * model file's first line names the class; a line {@code !error} at line N col 3 is a syntax
 * error there, {@code !warn} a warning, {@code !nowhere} an error without a position. The generated source embeds the model and weights text,
 * so a change to either changes the output. Writes through the real {@code writeIfChanged}.
 */
final class FakeCompiler implements Function<CompileRequest, CompileResult> {
    final List<Path> compiled = new ArrayList<>();
    final List<CompileRequest> requests = new ArrayList<>();

    @Override
    public CompileResult apply(CompileRequest request) {
        compiled.add(request.source());
        requests.add(request);
        try {
            List<String> lines = Files.readAllLines(request.source());
            List<Diagnostic> errors = new ArrayList<>();
            List<Diagnostic> warnings = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                SourcePos pos = new SourcePos(request.source().toString(), i + 1, 3);
                if (lines.get(i).contains("!nowhere")) {
                    errors.add(Diagnostic.error(ErrorCode.BAD_CLASS_NAME, SourcePos.NONE, "class name 'int' is a keyword"));
                } else if (lines.get(i).contains("!error")) {
                    errors.add(Diagnostic.error(ErrorCode.SYNTAX, pos, "syntax error: unexpected '!'"));
                } else if (lines.get(i).contains("!warn")) {
                    warnings.add(Diagnostic.warning(ErrorCode.UNUSED_VALUE, pos, "value 'h' is never used"));
                }
            }
            if (!errors.isEmpty()) {
                throw new CompileException(errors);
            }
            String className = lines.get(0).trim();
            Path weights = request.weightsPath();
            String weightsText = Files.exists(weights) ? Files.readString(weights) : "";
            String dir = request.packageName().isEmpty() ? "" : request.packageName().replace('.', '/') + "/";
            String source = "package " + request.packageName() + ";\n// " + String.join(" ", lines) + "\n// "
                    + weightsText.strip() + "\nfinal class " + className + " {}\n";
            List<GeneratedFile> files = new ArrayList<>();
            files.add(new GeneratedFile(GeneratedFile.Kind.SOURCE, dir + className + ".java",
                    source.getBytes(StandardCharsets.UTF_8)));
            if (!request.singleFile()) {
                files.add(new GeneratedFile(GeneratedFile.Kind.RESOURCE, dir + className + ".weights",
                        weightsText.getBytes(StandardCharsets.UTF_8)));
            }
            List<Path> written = new ArrayList<>();
            List<Path> unchanged = new ArrayList<>();
            for (GeneratedFile f : files) {
                Path root = f.kind() == GeneratedFile.Kind.SOURCE ? request.sourceOutput() : request.resourceOutput();
                Path target = root.resolve(f.relativePath());
                (Compiler.writeIfChanged(target, f.content()) ? written : unchanged).add(target);
            }
            return new CompileResult(null, files, written, unchanged, warnings, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
