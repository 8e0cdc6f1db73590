package dev.striate.cli.demo;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources in-process with the JDK's compiler, targeting Java 11 against
 * {@code java.base} alone and with an empty class path: if the generated code compiles here,
 * it needs nothing but the JDK.
 */
public final class JavaSourceCompiler {
    /** The javac options used, besides the output directory. */
    public static final List<String> OPTIONS = List.of("--release", "11", "--limit-modules", "java.base",
            "-proc:none", "-implicit:none", "-Xlint:all", "-encoding", "UTF-8");

    private JavaSourceCompiler() {
    }

    /** What javac said about a successful compilation. */
    public record Outcome(List<String> warnings) {
    }

    /** The sources did not compile; the message holds every javac error. */
    public static final class CompilationFailed extends RuntimeException {
        public CompilationFailed(String message) {
            super(message);
        }
    }

    /** True when this JVM has a Java compiler (a JDK, not a bare JRE). */
    public static boolean available() {
        return ToolProvider.getSystemJavaCompiler() != null;
    }

    /**
     * Compiles {@code sources} into {@code classes}.
     *
     * @throws CompilationFailed    with javac's errors when the sources do not compile
     * @throws IllegalStateException when no Java compiler is available
     */
    public static Outcome compile(List<Path> sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this JVM (a JDK is needed, not a JRE)");
        }
        Files.createDirectories(classes);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of());
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            StringWriter javacOut = new StringWriter();
            boolean ok = javac.getTask(javacOut, files, diagnostics, OPTIONS, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String line = describe(d);
                (d.getKind() == Diagnostic.Kind.ERROR ? errors : warnings).add(line);
            }
            if (!ok) {
                throw new CompilationFailed("javac failed:\n" + String.join("\n", errors) + javacOut);
            }
            return new Outcome(List.copyOf(warnings));
        }
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String file = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
        return file + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT);
    }
}
