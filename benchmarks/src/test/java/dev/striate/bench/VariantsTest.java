package dev.striate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.backend.GenerateOptions;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.diag.SourcePos;
import dev.striate.ir.Graph;
import dev.striate.passes.BindWeights;
import dev.striate.passes.InitWeights;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Variants} builds the scalar class on any compiler, and the vector class exactly when
 * the compiler has one: asking for it on a compiler without it fails with a message that says so.
 */
class VariantsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty("striate.bench.variants");
    }

    private static String source(GenerateOptions options) {
        Graph shaped = BenchModels.unbound("dw_block", new Diagnostics());
        Graph graph = BindWeights.run(shaped, InitWeights.run(shaped, 1L), SourcePos.NONE, new Diagnostics());
        return new String(JavaBackend.generate(graph, options).get(0).content(), StandardCharsets.UTF_8);
    }

    @Test
    void scalarIsTheDefaultClass() {
        GenerateOptions options = Variants.options(Variants.SCALAR, "p", "C");
        assertEquals("p", options.packageName());
        assertEquals("C", options.className());
        assertFalse(options.singleFile());
        assertFalse(source(options).contains("jdk.incubator.vector"));
    }

    @Test
    void vectorExactlyWhenTheCompilerHasIt() {
        if (Variants.vectorAvailable()) {
            String vector = source(Variants.options(Variants.VECTOR, "p", "C"));
            assertNotEquals(source(Variants.options(Variants.SCALAR, "p", "C")), vector);
            assertTrue(vector.contains("jdk.incubator.vector"));
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Variants.options(Variants.VECTOR, "p", "C"));
            assertTrue(e.getMessage().contains("no vector variant"), e.getMessage());
        }
    }

    /** Stand-ins for the shapes the vector option may take in GenerateOptions. */
    enum Variant { SCALAR, VECTOR_API }

    record WithEnum(String packageName, Variant variant, String className, boolean singleFile) {
    }

    record WithBoolean(String packageName, String className, boolean singleFile, boolean vector) {
    }

    record WithOther(String packageName, String className, boolean singleFile, int threads) {
    }

    @Test
    void findsTheVectorOptionByReflection() {
        assertEquals(new WithEnum("p", Variant.SCALAR, "C", false),
                Variants.build(WithEnum.class, Variants.SCALAR, "p", "C"));
        assertEquals(new WithEnum("p", Variant.VECTOR_API, "C", false),
                Variants.build(WithEnum.class, Variants.VECTOR, "p", "C"));
        assertEquals(new WithBoolean("p", "C", false, false), Variants.build(WithBoolean.class, Variants.SCALAR, "p", "C"));
        assertEquals(new WithBoolean("p", "C", false, true), Variants.build(WithBoolean.class, Variants.VECTOR, "p", "C"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Variants.build(WithOther.class, Variants.SCALAR, "p", "C"));
        assertTrue(e.getMessage().contains("int threads"), e.getMessage());
    }

    @Test
    void selectionFromTheSystemProperty() {
        List<String> auto = Variants.selected();
        assertEquals(Variants.vectorAvailable() ? List.of("scalar", "vector") : List.of("scalar"), auto);
        System.setProperty("striate.bench.variants", "scalar");
        assertEquals(List.of("scalar"), Variants.selected());
        System.setProperty("striate.bench.variants", "scalar,vector");
        if (Variants.vectorAvailable()) {
            assertEquals(List.of("scalar", "vector"), Variants.selected());
        } else {
            assertThrows(IllegalStateException.class, Variants::selected);
        }
        System.setProperty("striate.bench.variants", "simd");
        assertThrows(IllegalArgumentException.class, Variants::selected);
    }
}
