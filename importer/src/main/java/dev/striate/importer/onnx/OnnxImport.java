package dev.striate.importer.onnx;

import dev.striate.CompileRequest;
import dev.striate.CompileResult;
import dev.striate.Compiler;
import dev.striate.diag.CompileException;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.ErrorCode;
import dev.striate.diag.SourcePos;
import dev.striate.importer.keras.KerasImport;
import dev.striate.importer.onnx.Translator.Value;
import dev.striate.io.AtomicFiles;
import dev.striate.text.JavaText;
import dev.striate.text.NameRules;
import dev.striate.weights.WeightSet;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Imports an ONNX model: reads the file ({@code ai.onnx.proto.OnnxMl}), maps each node to a
 * Striate layer and returns a readable {@code .cnn} model and its weights in Striate's format.
 * Every unsupported operator or form is a coded error naming the node (E601-E605), a file that
 * cannot be read or written E503; nothing is written unless the whole model imports and the
 * compiler accepts the result.
 */
public final class OnnxImport {
    private OnnxImport() {
    }

    /**
     * An imported model.
     *
     * @param modelName the model's (and generated class's) name
     * @param source the {@code .cnn} text
     * @param weights its weights, keyed {@code <layer>.<param>}
     */
    public record Result(String modelName, String source, WeightSet weights) {
    }

    /** The files an import wrote; {@code blob} is null for a model without weights (no data file). */
    public record Written(Path model, Path weights, Path blob) {
    }

    /**
     * Reads {@code onnxFile} and translates it; {@code modelName} null derives the name from the
     * file name ({@code lenet_5.onnx -> Lenet5}).
     */
    public static Result read(Path onnxFile, String modelName) {
        try {
            return translate(onnxFile, modelName);
        } catch (NoSuchFileException e) {
            throw ImportError.at(onnxFile, ErrorCode.IO, "file not found");
        } catch (IOException e) {
            throw ImportError.at(onnxFile, ErrorCode.IO, "cannot read: " + e.getMessage());
        }
    }

    private static Result translate(Path onnxFile, String modelName) throws IOException {
        String name = modelName != null ? checkedName(onnxFile, modelName) : defaultName(onnxFile);
        if (KerasImport.isKeras(onnxFile)) {
            return KerasImport.read(onnxFile, name);
        }
        OnnxFile file = OnnxFile.read(onnxFile);
        Translator t = new Translator(file);
        Value output = t.run();
        if (t.layers.isEmpty()) {
            throw ImportError.at(onnxFile, ErrorCode.IMPORT_UNSUPPORTED_FORM, "the graph computes no layer "
                    + "(its output is its input)");
        }
        String producer = (file.model.getProducerName() + " " + file.model.getProducerVersion()).strip();
        String header = "Imported by 'striate import' from " + JavaText.comment(onnxFile.getFileName().toString())
                + " (ONNX opset " + file.opset + (producer.isEmpty() ? "" : ", written by " + JavaText.comment(producer))
                + ").\nEach line's comment names the ONNX node it comes from.";
        List<String> labels = OnnxLabels.read(onnxFile, file.model, output.shape());
        String source = CnnWriter.write(name, header, t.input, t.layers, output, t.omitted, labels);
        return new Result(name, source, new WeightSet(name, t.weights));
    }

    /**
     * Imports {@code onnxFile} into {@code outDir} as {@code <stem>.cnn}, {@code <stem>.weights.json}
     * and {@code <stem>.weights.bin}; the model is checked with the compiler (parse, shapes,
     * weights) before anything is written, and each file is written atomically.
     */
    public static Written write(Path onnxFile, Path outDir, String modelName) {
        Result r = read(onnxFile, modelName);
        try {
            return write(onnxFile, r, outDir);
        } catch (IOException e) {
            throw ImportError.at(outDir, ErrorCode.IO, "cannot write the imported model: " + e.getMessage());
        }
    }

    private static Written write(Path onnxFile, Result r, Path outDir) throws IOException {
        String stem = stem(onnxFile);
        Path model = outDir.resolve(stem + ".cnn");
        Path manifest = outDir.resolve(stem + ".weights.json");
        Path blob = outDir.resolve(WeightsFile.dataFileName(manifest));
        Files.createDirectories(outDir);
        Path staging = Files.createTempDirectory(outDir, ".striate-import");
        try {
            Path stagedModel = staging.resolve(model.getFileName());
            Path stagedManifest = staging.resolve(manifest.getFileName());
            Files.writeString(stagedModel, r.source(), StandardCharsets.UTF_8);
            WeightsFile.write(stagedManifest, r.weights());
            check(onnxFile, stagedModel, stagedManifest);
            Path stagedBlob = staging.resolve(blob.getFileName());
            boolean hasBlob = Files.exists(stagedBlob); // a model without weights has no data file
            if (hasBlob) {
                AtomicFiles.write(blob, Files.readAllBytes(stagedBlob));
            }
            AtomicFiles.write(manifest, Files.readAllBytes(stagedManifest));
            AtomicFiles.write(model, Files.readAllBytes(stagedModel));
            return new Written(model, manifest, hasBlob ? blob : null);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * {@link Compiler#compile} for any model file: a {@code .cnn} as it is, an {@code .onnx}
     * imported first into a temporary folder (see {@link #onModel}).
     */
    public static CompileResult compile(CompileRequest request) {
        return onModel(request, (r, at) -> {
            CompileResult c = Compiler.compile(r);
            return new CompileResult(c.graph(), c.files(), c.written(), c.unchanged(), placed(c.warnings(), at),
                    c.passLog());
        });
    }

    /** {@link Compiler#check} for any model file, as {@link #compile}: its warnings too are at the ONNX file. */
    public static Compiler.Checked check(CompileRequest request) {
        return onModel(request, (r, at) -> {
            Compiler.Checked c = Compiler.check(r);
            return new Compiler.Checked(c.bound(), c.files(), placed(c.warnings(), at));
        });
    }

    private static List<Diagnostic> placed(List<Diagnostic> warnings, UnaryOperator<Diagnostic> at) {
        return warnings.stream().map(at).toList();
    }

    /**
     * Runs {@code use} (e.g. {@link Compiler#compile}, {@link Compiler#check}) on the request's model
     * file: a {@code .cnn} as it is, an {@code .onnx} imported first into a temporary folder that is
     * deleted afterwards (its weights are inside it, so the request's {@code weights} must be null).
     * Errors about the imported files are reported at the ONNX file; for warnings, see
     * {@link #onModel(CompileRequest, BiFunction)}.
     */
    public static <T> T onModel(CompileRequest request, Function<CompileRequest, T> use) {
        return onModel(request, (r, at) -> use.apply(r));
    }

    /**
     * {@link #onModel(CompileRequest, Function)} where {@code use} also gets the function that places
     * a diagnostic about the imported files at the ONNX file (as errors are), to apply to the warnings
     * it reports; for a {@code .cnn} model that function returns the diagnostic as it is.
     */
    public static <T> T onModel(CompileRequest request, BiFunction<CompileRequest, UnaryOperator<Diagnostic>, T> use) {
        if (!isImported(request.source())) {
            return use.apply(request, d -> d);
        }
        if (request.weights() != null) {
            throw ImportError.at(request.source(), ErrorCode.IO, "a weights manifest was given for an imported (ONNX or Keras) model, "
                    + "whose weights are inside it");
        }
        Path onnxFile = request.source();
        return inTemporaryFolder(onnxFile, null, imported -> use.apply(new CompileRequest(imported.model(),
                request.modelName(), imported.weights(), request.packageName(), request.className(), request.singleFile(),
                request.sourceOutput(), request.resourceOutput(), request.optimize(), request.limits(),
                request.optionNames(), request.vector(), request.imageCompanion()), d -> atSource(d, imported, onnxFile)));
    }

    /**
     * Imports {@code onnxFile} into a temporary folder, gives the files to {@code use} (e.g. to
     * compile them) and deletes the folder afterwards.
     */
    public static <T> T inTemporaryFolder(Path onnxFile, String modelName, Function<Written, T> use) {
        Path staging;
        try {
            staging = Files.createTempDirectory("striate-import");
        } catch (IOException e) {
            throw ImportError.at(onnxFile, ErrorCode.IO, "cannot create a temporary folder: " + e.getMessage());
        }
        try {
            Written written = write(onnxFile, staging, modelName);
            try {
                return use.apply(written);
            } catch (CompileException e) {
                throw new CompileException(e.diagnostics().stream().map(d -> atSource(d, written, onnxFile)).toList());
            }
        } finally {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                // a leftover temporary folder is not the user's error
            }
        }
    }

    /** A diagnostic about the temporary {@code .cnn} or weights, placed at the ONNX file (which the user has). */
    private static Diagnostic atSource(Diagnostic d, Written written, Path onnxFile) {
        if (d.pos() == null || !(d.pos().file().equals(written.model().toString())
                || d.pos().file().equals(written.weights().toString()))) {
            return d;
        }
        String where = d.pos().line() > 0 ? " (line " + d.pos().line() + " of the imported .cnn)" : "";
        return new Diagnostic(d.severity(), d.code(), new SourcePos(onnxFile.toString(), 0, 0), d.message() + where);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs the compiler's front end and weight binding on the imported files; reports its errors at the ONNX file. */
    private static void check(Path onnxFile, Path model, Path manifest) {
        Diagnostics diagnostics = new Diagnostics();
        try {
            Compiler.bindWeights(Compiler.loadModel(model, null, diagnostics), manifest, diagnostics);
        } catch (CompileException e) {
            e.diagnostics().forEach(diagnostics::add);
        }
        List<Diagnostic> errors = new ArrayList<>();
        for (Diagnostic d : diagnostics.sorted()) {
            if (d.isError()) {
                errors.add(Diagnostic.error(d.code(), new SourcePos(onnxFile.toString(), 0, 0),
                        "the imported model is not valid Striate: " + d.message()));
            }
        }
        if (!errors.isEmpty()) {
            throw new CompileException(errors);
        }
    }

    /** True for a file named {@code *.onnx} (any case). */
    public static boolean isOnnx(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** True for a file this class imports: {@code *.onnx}, or a Keras {@code *.keras}, {@code *.h5}, {@code *.hdf5}. */
    public static boolean isImported(Path file) {
        return isOnnx(file) || KerasImport.isKeras(file);
    }

    /** The file name without {@code .onnx} (or a Keras extension). */
    public static String stem(Path onnxFile) {
        String file = onnxFile.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".onnx", ".keras", ".hdf5", ".h5"}) {
            if (lower.endsWith(ext)) {
                return file.substring(0, file.length() - ext.length());
            }
        }
        return file;
    }

    private static String checkedName(Path onnxFile, String name) {
        String problem = NameRules.classNameProblem(name);
        if (problem != null) {
            throw ImportError.at(onnxFile, ErrorCode.BAD_CLASS_NAME, "model name '" + name + "' " + problem);
        }
        return name;
    }

    /** {@code lenet_5.onnx -> Lenet5}: the stem's letters and digits, words capitalized. */
    static String defaultName(Path onnxFile) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : stem(onnxFile).toCharArray()) {
            if (c < 0x80 && Character.isLetterOrDigit(c)) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        String name = sb.length() == 0 || Character.isDigit(sb.charAt(0)) ? "Model" + sb : sb.toString();
        name = name.length() > 100 ? name.substring(0, 100) : name;
        return NameRules.classNameProblem(name) == null ? name : "Imported" + name;
    }
}
