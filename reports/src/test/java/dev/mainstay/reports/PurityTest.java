package dev.mainstay.reports;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The reports module is a pure core: it reads bytes it is given, never the clock, the network, a
 * database or the filesystem (referenced files come through {@link ReferencedFiles}).
 */
class PurityTest {

    private static final JavaClasses REPORTS = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mainstay.reports");

    @Test
    void reports_never_read_the_clock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(java.time.LocalDateTime.class, "now")
            .orShould().callMethod(java.time.OffsetDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("time comes from the report itself, so parsing is the same whenever it runs")
            .check(REPORTS);
    }

    @Test
    void reports_never_reach_out_to_files_networks_databases_or_frameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "java.sql..", "javax.sql..", "jakarta..",
                "org.hibernate..", "io.helidon..", "java.nio.file..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.File.class.getName())
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.io.FileInputStream.class.getName())
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.net.URL.class.getName())
            .because("a report names files (Bazel's test.xml) that only ReferencedFiles may open: on the server, from the same upload")
            .check(REPORTS);
    }
}
