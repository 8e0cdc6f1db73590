package dev.striate.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaSourceCompilerTest {
    @TempDir
    Path tmp;

    private Path source(String relative, String text) throws Exception {
        Path p = tmp.resolve("src").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void compilesPlainJavaAndTheClassRuns() throws Exception {
        Path src = source("demo/Twice.java",
                "package demo;\npublic final class Twice {\n"
                        + "  public static float[] of(float[] x) { float[] y = new float[x.length];"
                        + " for (int i = 0; i < x.length; i++) y[i] = 2 * x[i]; return y; }\n}\n");
        Path classes = tmp.resolve("classes");
        JavaSourceCompiler.Outcome outcome = JavaSourceCompiler.compile(List.of(src), classes);
        assertEquals(List.of(), outcome.warnings());
        assertTrue(Files.isRegularFile(classes.resolve("demo/Twice.class")));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Method of = loader.loadClass("demo.Twice").getMethod("of", float[].class);
            float[] y = (float[]) of.invoke(null, (Object) new float[] {1f, -2.5f});
            assertEquals(2f, y[0]);
            assertEquals(-5f, y[1]);
        }
    }

    @Test
    void classPathIsEmptyEvenThoughTheCompilerRunsInsideStriate() throws Exception {
        // picocli is on this JVM's class path; the generated code must not be able to see it.
        Path src = source("demo/UsesPicocli.java",
                "package demo;\npublic final class UsesPicocli { picocli.CommandLine c; }\n");
        JavaSourceCompiler.CompilationFailed e = assertThrows(JavaSourceCompiler.CompilationFailed.class,
                () -> JavaSourceCompiler.compile(List.of(src), tmp.resolve("classes")));
        assertTrue(e.getMessage().contains("picocli"), e.getMessage());
    }

    @Test
    void onlyJavaBaseIsVisible() throws Exception {
        Path src = source("demo/UsesSql.java",
                "package demo;\npublic final class UsesSql { java.sql.Connection c; }\n");
        assertThrows(JavaSourceCompiler.CompilationFailed.class,
                () -> JavaSourceCompiler.compile(List.of(src), tmp.resolve("classes")));
    }

    @Test
    void targetsJava11() throws Exception {
        // String.isBlank is Java 11 (accepted); a record is Java 16 (rejected under --release 11).
        Path ok = source("demo/Blank.java",
                "package demo;\npublic final class Blank { boolean b = \"\".isBlank(); }\n");
        JavaSourceCompiler.compile(List.of(ok), tmp.resolve("classes"));
        Path tooNew = source("demo/Rec.java", "package demo;\npublic record Rec(int x) { }\n");
        assertThrows(JavaSourceCompiler.CompilationFailed.class,
                () -> JavaSourceCompiler.compile(List.of(tooNew), tmp.resolve("classes2")));
        byte[] bytes = Files.readAllBytes(tmp.resolve("classes/demo/Blank.class"));
        assertEquals(55, ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff), "class file major version of Java 11");
    }
}
