package dev.mainstay.platform.app;

import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the Flyway migrations in {@code db/migration} before the server starts, so that
 * Hibernate (which only validates) always meets the schema it expects. Several replicas may
 * start at once: Flyway serialises them with a PostgreSQL advisory lock.
 */
final class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    private Migrations() {
    }

    static void apply(ApplianceSettings settings) {
        MigrateResult result = Flyway.configure()
            .dataSource(settings.dbUrl().orElseThrow(), settings.dbUser(), settings.dbPassword())
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load()
            .migrate();
        LOG.info(() -> result.migrationsExecuted == 0
            ? "Database schema is current (version " + result.initialSchemaVersion + ")"
            : "Applied " + result.migrationsExecuted + " database migration(s); schema version " + result.targetSchemaVersion);
    }
}
