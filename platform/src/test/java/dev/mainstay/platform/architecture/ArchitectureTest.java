package dev.mainstay.platform.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import jakarta.persistence.Entity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of ../shared/ARCHITECTURE.md and docs/design.md that apply to the packages that
 * exist, checked on the compiled platform. Each new feature adds its rules here.
 */
class ArchitectureTest {

    private static JavaClasses platform;

    @BeforeAll
    static void importPlatform() {
        platform = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mainstay.platform");
    }

    @Test
    void only_the_dev_launcher_uses_the_dev_services() {
        noClasses().that().resideOutsideOfPackage("dev.mainstay.platform.app.dev..")
            .should().dependOnClassesThat().resideInAPackage("dev.mainstay.devservices..")
            .because("production (serve) never starts embedded services")
            .check(platform);
    }

    @Test
    void a_feature_owns_its_entities() {
        classes().that().areAnnotatedWith(Entity.class)
            .should(beUsedOnlyInsideTheirFeature())
            .because("features talk through small interfaces, never through each other's entities")
            .check(platform);
    }

    @Test
    void the_system_clock_is_read_in_one_place() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.mainstay.platform.app.Clocks")
            .and().doNotHaveFullyQualifiedName("dev.mainstay.platform.app.Main")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(java.time.LocalDateTime.class, "now")
            .orShould().callMethod(java.time.OffsetDateTime.class, "now")
            .orShould().callMethod(java.time.ZonedDateTime.class, "now")
            .because("time is injected (Clock) or passed in (Instant now), so that it can be tested without sleeping")
            .check(platform);
    }

    @Test
    void only_the_launcher_writes_to_the_console() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.mainstay.platform.app.Main")
            .and().doNotHaveFullyQualifiedName("dev.mainstay.platform.app.LogSetup")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("everything else logs, so that operators can choose JSON logs")
            .check(platform);
    }

    @Test
    void no_generic_exceptions_and_no_field_injection() {
        GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(platform);
        GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.check(platform);
    }

    @Test
    void every_package_of_every_module_has_a_package_info() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> missing;
        try (Stream<Path> files = Files.walk(root)) {
            missing = files
                .filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                .filter(p -> p.getFileName().toString().endsWith(".java"))
                .map(Path::getParent)
                .distinct()
                .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                .map(root::relativize)
                .toList();
        }
        assertEquals(List.of(), missing, "packages without package-info.java");
    }

    @Test
    void a_table_s_sql_lives_only_in_its_owning_feature() {
        Set<String> tables = TableOwners.inventoryTables();
        assertEquals(List.of(), tables.stream().filter(t -> TableOwners.ownerOf(t).isEmpty()).toList(),
            "tables of policies/data-inventory.yaml without an owner in TableOwners.OWNERS");
        List<String> found = TableOwners.violations(TableOwners.sources(Path.of("src/main/java/dev/mainstay/platform")), tables)
            .stream().map(TableOwners.Violation::toString).sorted().toList();
        assertEquals(List.of(), found,
            "a feature reads or writes another feature's table by SQL; ask the owner through a small interface instead");
    }

    @Test
    void the_table_rule_names_the_class_and_the_table_it_touches_outside_the_owner() {
        Map<String, String> sample = new TreeMap<>(Map.of(
            "queue/outbound/Verdicts.java", "class Verdicts { String q = \"SELECT n FROM flaky_test t\" + \" WHERE t.repo = ?\"; }",
            "queue/inbound/Peek.java", "class Peek { String q = \"SELECT 1 FROM merge_queue q JOIN merge_queue_event e ON e.queue_id = q.id\"; }",
            "ingest/Totals.java", "class Totals { String q = \"insert into flaky_failure_total (org) values (?)\"; }",
            "flaky/Own.java", "class Own { String q = \"UPDATE flaky_test SET status = ?\"; }",
            "queue/worker/Store.java", "class Store { String q = \"DELETE FROM merge_queue_outbox WHERE done_at < ?\"; }",
            "app/Mentions.java", "/** Reads FROM ingest_upload, says a comment. */ class Mentions { String t = \"ingest_upload\"; }",
            "web/Mapped.java", "@Table(name = \"identity_session\") class Mapped { }"));
        List<String> found = TableOwners.violations(sample, TableOwners.inventoryTables()).stream()
            .map(TableOwners.Violation::toString).sorted().toList();
        assertEquals(List.of(
            "ingest/Totals.java names flaky_failure_total (owned by flaky)",
            "queue/inbound/Peek.java names merge_queue (owned by queue.worker)",
            "queue/inbound/Peek.java names merge_queue_event (owned by queue.worker)",
            "queue/outbound/Verdicts.java names flaky_test (owned by flaky)",
            "web/Mapped.java names identity_session (owned by identity)"), found);
    }

    private static ArchCondition<JavaClass> beUsedOnlyInsideTheirFeature() {
        return new ArchCondition<>("be used only inside their own feature package") {
            @Override
            public void check(JavaClass entity, ConditionEvents events) {
                String feature = featureOf(entity);
                entity.getDirectDependenciesToSelf().stream()
                    .filter(d -> !featureOf(d.getOriginClass()).equals(feature))
                    .forEach(d -> events.add(SimpleConditionEvent.violated(d, d.getDescription())));
            }
        };
    }

    /** {@code dev.mainstay.platform.queue.worker.Entry} belongs to feature {@code queue}. */
    private static String featureOf(JavaClass c) {
        String rest = c.getPackageName().replaceFirst("^dev\\.mainstay\\.platform\\.?", "");
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
