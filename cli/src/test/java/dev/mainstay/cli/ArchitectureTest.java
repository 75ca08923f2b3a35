package dev.mainstay.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI runs on CI runners: it never imports the appliance's code, and only {@code main} ends the process. */
class ArchitectureTest {

    private static final JavaClasses CLI = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mainstay.cli");

    @Test
    void the_cli_never_depends_on_the_appliance() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.mainstay.platform..", "io.helidon..", "jakarta..")
            .because("the CLI is a small jar for CI runners; ARCHITECTURE.md allows it reports and audit only")
            .check(CLI);
    }

    @Test
    void only_main_exits() {
        noClasses().that().doNotHaveFullyQualifiedName(Main.class.getName())
            .should().callMethod(System.class, "exit", int.class)
            .because("commands return their exit code, so tests run them in-process")
            .check(CLI);
    }
}
