package dev.striate.backend.train;

import dev.striate.backend.GeneratedFile;
import dev.striate.train.TrainableModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources (a trainer, or the inference class {@code striate evaluate} runs) in
 * memory with the platform's {@code javac} (classpath: the runtime jar, found from
 * {@link TrainableModel}'s code source) and loads them in a class loader whose parent is the
 * runtime's, so a loaded trainer implements the caller's {@link TrainableModel}. The files' resources
 * (a class's weights blob) are served by that loader, as they would be from a jar.
 */
public final class InProcessCompiler {
    private InProcessCompiler() {
    }

    /**
     * Compiles the sources among {@code files} and returns the class {@code binaryName}, whose loader
     * also serves the resources among {@code files} by their relative paths; javac errors become an
     * exception.
     */
    public static Class<?> compile(List<GeneratedFile> files, String binaryName) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler available: run Striate on a JDK, not a JRE");
        }
        List<JavaFileObject> sources = new ArrayList<>();
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.SOURCE) {
                sources.add(new Source(f.relativePath(), new String(f.content(), StandardCharsets.UTF_8)));
            }
        }
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        Map<String, byte[]> resources = new HashMap<>();
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.RESOURCE) {
                resources.put(f.relativePath(), f.content());
            }
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        ForwardingJavaFileManager<StandardJavaFileManager> manager = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<String> options = List.of("--release", "11", "-classpath", runtimeClasspath());
        boolean ok = javac.getTask(null, manager, diagnostics, options, null, sources).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder("generated code does not compile:");
            diagnostics.getDiagnostics().forEach(d -> sb.append('\n').append(d.getLineNumber()).append(": ")
                    .append(d.getMessage(null)));
            throw new IllegalStateException(sb.toString());
        }
        ClassLoader loader = new ClassLoader(TrainableModel.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }

            @Override
            public InputStream getResourceAsStream(String name) {
                byte[] resource = resources.get(name);
                return resource != null ? new ByteArrayInputStream(resource) : super.getResourceAsStream(name);
            }
        };
        try {
            return loader.loadClass(binaryName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("compiled code has no class " + binaryName, e);
        }
    }

    /** The class files compiled by the last call are not kept; this returns the runtime's location for javac. */
    static String runtimeClasspath() {
        CodeSource source = TrainableModel.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return System.getProperty("java.class.path");
        }
        try {
            return new File(source.getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the runtime jar", e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String path, String text) {
            super(URI.create("string:///" + path), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
