package dev.striate.testing;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.striate.backend.GeneratedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles generated files in memory with {@code javac --release 11} (compile-testing), loads
 * the classes in a fresh class loader that also serves the generated resources (so the class's
 * {@code load()} finds its weights blob) and calls the generated API by reflection.
 */
public final class CompiledModel {
    private final Class<?> type;
    private final Map<String, byte[]> classFiles;
    private final List<String> warnings;

    private CompiledModel(Class<?> type, Map<String, byte[]> classFiles, List<String> warnings) {
        this.type = type;
        this.classFiles = classFiles;
        this.warnings = warnings;
    }

    /**
     * Compiles every {@code SOURCE} file and serves every {@code RESOURCE} file; fails with the
     * compiler's messages (and the source) if javac reports an error.
     */
    public static CompiledModel compile(List<GeneratedFile> files) {
        return compile(files, "--release", "11");
    }

    /** The vector variant's options: {@code --release 17 --add-modules jdk.incubator.vector}. */
    public static final List<String> VECTOR_OPTIONS = List.of("--release", "17", "--add-modules", "jdk.incubator.vector");

    /** {@link #compile(List)} with other javac options than {@code --release 11} (e.g. {@link #VECTOR_OPTIONS}). */
    public static CompiledModel compile(List<GeneratedFile> files, String... javacOptions) {
        List<JavaFileObject> sources = new ArrayList<>();
        Map<String, byte[]> resources = new TreeMap<>();
        String mainClass = null;
        StringBuilder allSource = new StringBuilder();
        for (GeneratedFile f : files) {
            if (f.kind() == GeneratedFile.Kind.SOURCE) {
                String binary = f.relativePath().replaceAll("\\.java$", "").replace('/', '.');
                String text = new String(f.content(), StandardCharsets.UTF_8);
                sources.add(JavaFileObjects.forSourceString(binary, text));
                allSource.append(text);
                mainClass = mainClass == null ? binary : mainClass;
            } else {
                resources.put(f.relativePath(), f.content());
            }
        }
        List<String> options = new ArrayList<>(List.of(javacOptions));
        options.add("-Xlint:all");
        Compilation c = Compiler.javac().withOptions(options).compile(sources);
        if (c.status() != Compilation.Status.SUCCESS) {
            throw new AssertionError("generated code does not compile:\n" + c.errors().stream()
                    .map(d -> d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"))
                    + "\n" + numbered(allSource.toString()));
        }
        Map<String, byte[]> classes = classFiles(c);
        List<String> warnings = c.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                .map(d -> d.getMessage(null)).toList();
        try {
            Class<?> type = Class.forName(mainClass, true, new MemoryLoader(classes, resources));
            return new CompiledModel(type, classes, warnings);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static String numbered(String source) {
        String[] lines = source.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            sb.append(i + 1).append(": ").append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    public Class<?> type() {
        return type;
    }

    /** Class-file bytes of every compiled class (including nested ones), by binary name. */
    public Map<String, byte[]> classFiles() {
        return classFiles;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** {@code ClassName.load()}. */
    public Instance load() {
        return new Instance(invoke(null, "load", new Class<?>[0]));
    }

    /** {@code ClassName.load(InputStream)} on these bytes. */
    public Instance load(byte[] blob) {
        return new Instance(invoke(null, "load", new Class<?>[] {InputStream.class}, new ByteArrayInputStream(blob)));
    }

    /** A {@code public static final int} constant such as {@code INPUT_SIZE}. */
    public int constant(String name) {
        try {
            return type.getField(name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no constant " + name, e);
        }
    }

    public String[] labels() {
        return (String[]) invoke(null, "labels", new Class<?>[0]);
    }

    public String label(int k) {
        return (String) invoke(null, "label", new Class<?>[] {int.class}, k);
    }

    /**
     * Calls a method by reflection; exceptions thrown by the generated code come out unwrapped
     * (checked ones wrapped in {@link GeneratedCodeException}).
     */
    public Object invoke(Object target, String name, Class<?>[] types, Object... args) {
        try {
            Method m = type.getMethod(name, types);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new GeneratedCodeException(cause);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + name, e);
        }
    }

    /** A checked exception thrown by generated code (e.g. {@code IOException} from {@code load}). */
    public static final class GeneratedCodeException extends RuntimeException {
        GeneratedCodeException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One loaded model instance. */
    public final class Instance {
        private final Object target;

        Instance(Object target) {
            this.target = target;
        }

        /** The generated instance itself. */
        public Object target() {
            return target;
        }

        public float[] predict(float[] input) {
            return (float[]) invoke(target, "predict", new Class<?>[] {float[].class}, (Object) input);
        }

        public void predict(float[] input, float[] output) {
            invoke(target, "predict", new Class<?>[] {float[].class, float[].class}, input, output);
        }

        public float[][] predictBatch(float[][] inputs) {
            return (float[][]) invoke(target, "predictBatch", new Class<?>[] {float[][].class}, (Object) inputs);
        }

        public int classify(float[] input) {
            return (Integer) invoke(target, "classify", new Class<?>[] {float[].class}, (Object) input);
        }
    }

    /**
     * Compiles many sources in one javac run ({@code --release 11}); fails with javac's messages.
     * Returns the class files by binary name.
     */
    public static Map<String, byte[]> javac(List<JavaFileObject> sources) {
        Compilation c = Compiler.javac().withOptions("--release", "11").compile(sources);
        if (c.status() != Compilation.Status.SUCCESS) {
            throw new AssertionError("javac fails: " + c.errors());
        }
        return classFiles(c);
    }

    private static Map<String, byte[]> classFiles(Compilation c) {
        Map<String, byte[]> classes = new TreeMap<>();
        for (JavaFileObject o : c.generatedFiles()) {
            if (o.getKind() == JavaFileObject.Kind.CLASS) {
                String path = o.toUri().getPath();
                String binary = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length())
                        .replaceAll("\\.class$", "").replace('/', '.');
                try (InputStream in = o.openInputStream()) {
                    classes.put(binary, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return classes;
    }

    /** Defines the compiled classes and serves the generated resources. */
    public static final class MemoryLoader extends ClassLoader {
        private final Map<String, byte[]> classes;
        private final Map<String, byte[]> resources;

        public MemoryLoader(Map<String, byte[]> classes, Map<String, byte[]> resources) {
            super(CompiledModel.class.getClassLoader());
            this.classes = classes;
            this.resources = resources;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = resources.get(name);
            return b != null ? new ByteArrayInputStream(b) : super.getResourceAsStream(name);
        }
    }
}
