package org.stealbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md: ui -> experiment -> {attack, defense, ssl, eval, api} -> {model, data}. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.stealbench");
    }

    @Test
    void onlyUiTouchesGuiLibraries() {
        noClasses().that().resideOutsideOfPackage("org.stealbench.ui..")
                .and().doNotHaveFullyQualifiedName("org.stealbench.Main")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree..")
                .because("the engine must run headless; only ui may use JavaFX, ControlsFX or JFreeChart")
                .check(classes);
    }

    @Test
    void mainDoesNotTouchGuiLibrariesEither() {
        noClasses().that().haveFullyQualifiedName("org.stealbench.Main")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree..")
                .check(classes);
    }

    @Test
    void layersPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("ui").definedBy("org.stealbench.ui..")
                .layer("cli").definedBy("org.stealbench.cli..")
                .layer("experiment").definedBy("org.stealbench.experiment..")
                .layer("attack").definedBy("org.stealbench.attack..")
                .layer("defense").definedBy("org.stealbench.defense..")
                .layer("ssl").definedBy("org.stealbench.ssl..")
                .layer("eval").definedBy("org.stealbench.eval..")
                .layer("api").definedBy("org.stealbench.api..")
                .layer("model").definedBy("org.stealbench.model..")
                .layer("data").definedBy("org.stealbench.data..")
                .whereLayer("ui").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("experiment").mayOnlyBeAccessedByLayers("ui", "cli")
                .whereLayer("attack").mayOnlyBeAccessedByLayers("experiment", "ui", "cli")
                .whereLayer("defense").mayOnlyBeAccessedByLayers("attack", "experiment", "ui", "cli")
                .whereLayer("ssl").mayOnlyBeAccessedByLayers("experiment", "ui", "cli")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("defense", "attack", "experiment", "ui", "cli")
                .whereLayer("api").mayOnlyBeAccessedByLayers("defense", "attack", "experiment", "ui", "cli")
                .whereLayer("model").mayOnlyBeAccessedByLayers("ssl", "api", "attack", "defense", "eval", "experiment", "ui", "cli")
                .whereLayer("data").mayOnlyBeAccessedByLayers("model", "ssl", "api", "attack", "defense", "eval", "experiment", "ui", "cli")
                .check(classes);
    }
}
