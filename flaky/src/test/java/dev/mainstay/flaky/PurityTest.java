package dev.mainstay.flaky;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Detection is a pure core: the same executions and {@code now} give the same verdict, on the server and offline. */
class PurityTest {

    private static final JavaClasses FLAKY = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mainstay.flaky");

    @Test
    void detection_never_reads_the_clock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(java.time.LocalDateTime.class, "now")
            .orShould().callMethod(java.time.OffsetDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("now is an argument, so a replay of a history gives the verdicts the server gave")
            .check(FLAKY);
    }

    @Test
    void detection_never_reaches_out_to_files_networks_databases_or_frameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.sql..", "javax.sql..", "jakarta..",
                "org.hibernate..", "io.helidon..", "java.nio.file..", "dev.mainstay.platform..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.File.class.getName())
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.FileInputStream.class.getName())
            .because("callers hand in executions and readers; the CLI and the appliance share this code")
            .check(FLAKY);
    }
}
