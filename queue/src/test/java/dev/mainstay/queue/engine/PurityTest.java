package dev.mainstay.queue.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is pure: the same events at the same times give the same decisions, in the appliance, the simulator and a replay. */
class PurityTest {

    private static final JavaClasses ENGINE = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.mainstay.queue.engine");

    @Test
    void the_engine_never_reads_the_clock_nor_draws_random_numbers() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.Random.class.getName())
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.concurrent.ThreadLocalRandom.class.getName())
            .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.SplittableRandom.class.getName())
            .because("time is an argument and every decision follows from the events, so a replay decides the same")
            .check(ENGINE);
    }

    @Test
    void the_engine_never_reaches_out_to_files_networks_databases_threads_or_frameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.sql..", "javax.sql..", "jakarta..",
                "org.hibernate..", "io.helidon..", "java.nio..", "java.io..", "java.util.concurrent..", "dev.mainstay.platform..",
                "dev.mainstay.queue.sim..")
            .because("the executor does the I/O; the engine only decides")
            .check(ENGINE);
    }
}
