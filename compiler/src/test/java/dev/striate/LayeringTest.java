package dev.striate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compiler's layering, read from the class files (ArchUnit): the front end and the passes
 * build on the IR, the autodiff rules and the back end on the passes, the facade
 * ({@code dev.striate.Compiler} and its request and result types) on everything; {@code diag}
 * and {@code text} are leaves; the runtime and the grammar depend on no compiler package. The
 * command line ({@code dev.striate.cli}, {@code dev.striate.training}) is a module on top and
 * cannot be reached from here at all. Every class of {@code dev.striate} must sit in one of the
 * layers, so a new package is checked too.
 */
class LayeringTest {
    private static final String[] RUNTIME = {
        "dev.striate.weights..", "dev.striate.train..", "dev.striate.data..", "dev.striate.optim..", "dev.striate.io..",
        "dev.striate.viz.."
    };

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the grammar module's test-jar (dev.striate.testing.Goldens) is test code too
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/dev/striate/testing/"))
            .importPackages("dev.striate");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Facade").definedBy("dev.striate")
                .layer("Frontend").definedBy("dev.striate.frontend..")
                .layer("Backend").definedBy("dev.striate.backend..")
                .layer("Autodiff").definedBy("dev.striate.autodiff..")
                .layer("Passes").definedBy("dev.striate.passes..")
                .layer("Ir").definedBy("dev.striate.ir..")
                .layer("Diag").definedBy("dev.striate.diag..")
                .layer("Text").definedBy("dev.striate.text..")
                .layer("Grammar").definedBy("dev.striate.grammar..")
                .layer("Runtime").definedBy(RUNTIME)
                .whereLayer("Frontend").mayOnlyAccessLayers("Ir", "Diag", "Text", "Grammar", "Runtime")
                .whereLayer("Backend").mayOnlyAccessLayers("Autodiff", "Passes", "Ir", "Diag", "Text", "Runtime")
                .whereLayer("Autodiff").mayOnlyAccessLayers("Passes", "Ir", "Diag", "Text", "Runtime")
                .whereLayer("Passes").mayOnlyAccessLayers("Ir", "Diag", "Text", "Runtime")
                .whereLayer("Ir").mayOnlyAccessLayers("Diag", "Text", "Runtime")
                .whereLayer("Diag").mayOnlyAccessLayers("Text", "Runtime")
                .whereLayer("Text").mayOnlyAccessLayers("Runtime")
                .whereLayer("Grammar").mayNotAccessAnyLayer()
                .whereLayer("Runtime").mayNotAccessAnyLayer()
                .whereLayer("Facade").mayNotBeAccessedByAnyLayer()
                .check(CLASSES);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("dev.striate.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void everyClassSitsInALayer() {
        String[] known = Stream.concat(Stream.of(RUNTIME), Stream.of("dev.striate", "dev.striate.frontend..",
                "dev.striate.backend..", "dev.striate.autodiff..", "dev.striate.passes..", "dev.striate.ir..",
                "dev.striate.diag..", "dev.striate.text..")).toArray(String[]::new);
        classes().that().resideInAPackage("dev.striate..")
                .and().resideOutsideOfPackage("dev.striate.grammar..")
                .should().resideInAnyPackage(known)
                .check(CLASSES);
    }
}
