package dev.mainstay.platform.app.dev;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.app.ApplianceSettings;
import dev.mainstay.platform.app.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * What {@code ./mainstay dev} adds to a normal start: an embedded PostgreSQL whose data lives in
 * {@code <data-dir>/postgres} and a self-signed certificate in {@code <data-dir>/tls}, both kept
 * across restarts. The appliance then starts exactly as in production, against them.
 */
public final class DevMode implements AutoCloseable {

    /** Port of the embedded PostgreSQL; 0 picks a free one. */
    public static final String POSTGRES_PORT = "mainstay.dev.postgres-port";
    private static final int DEFAULT_POSTGRES_PORT = 15432;
    /** The database the appliance uses on the embedded server. */
    public static final String DATABASE = "mainstay";

    private static final Logger LOG = Logger.getLogger(DevMode.class.getName());

    private final Path dataDir;
    private final EmbeddedPostgresServer postgres;
    private final DevCertificate certificate;

    private DevMode(Path dataDir, EmbeddedPostgresServer postgres, DevCertificate certificate) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.certificate = certificate;
    }

    /** Defaults for dev that users may still override: listen on loopback only. */
    public static ConfigSource defaults() {
        return ApplianceConfig.source("mainstay-dev-defaults", Map.of(
            ApplianceSettings.HOST, "127.0.0.1",
            POSTGRES_PORT, Integer.toString(DEFAULT_POSTGRES_PORT)), ApplianceConfig.DEV_DEFAULTS_ORDINAL);
    }

    /**
     * Starts the embedded database and provides the certificate.
     *
     * @throws ConfigurationException if the data directory or the PostgreSQL port cannot be used
     */
    public static DevMode start(Path dataDir, Config config, Clock clock) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigurationException("--data-dir " + dir + " cannot be created: " + e.getMessage());
        }
        int pgPort = config.getOptionalValue(POSTGRES_PORT, Integer.class).orElse(DEFAULT_POSTGRES_PORT);
        long started = System.nanoTime();
        EmbeddedPostgresServer postgres;
        try {
            postgres = EmbeddedPostgresServer.builder()
                .persistentDataDirectory(dir.resolve("postgres"))
                .port(pgPort)
                .start();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(POSTGRES_PORT + ": " + e.getMessage());
        }
        if (postgres.createDatabaseIfAbsent(DATABASE)) {
            LOG.info("Created the " + DATABASE + " database in " + dir.resolve("postgres"));
        }
        LOG.info(() -> "Embedded PostgreSQL ready on port " + postgres.port() + " in "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
        DevCertificate certificate;
        try {
            certificate = DevCertificate.ensure(dir.resolve("tls"), clock);
        } catch (UncheckedIOException | IllegalStateException e) {
            postgres.close();
            throw e;
        }
        return new DevMode(dir, postgres, certificate);
    }

    /** Settings dev fixes, stronger than the environment: the embedded database and the dev certificate. */
    public ConfigSource fixedSettings() {
        return ApplianceConfig.source("mainstay-dev", Map.of(
            ApplianceSettings.DB_URL, postgres.jdbcUrl(DATABASE),
            ApplianceSettings.DB_USER, EmbeddedPostgresServer.SUPERUSER,
            ApplianceSettings.TLS_CERTIFICATE, certificate.certificate().toString(),
            ApplianceSettings.TLS_PRIVATE_KEY, certificate.privateKey().toString(),
            ApplianceSettings.TX_LOG_DIR, dataDir.resolve("transactions").toString(),
            ApplianceSettings.BEHIND_TLS_PROXY, "false"), ApplianceConfig.DEV_FIXED_ORDINAL);
    }

    /** The banner printed once the appliance is ready. */
    public String banner(String version, String url, long startupMillis) {
        return """

              Mainstay %s is ready (dev mode, started in %.1f s)

                Web UI and API   %s
                Database         %s?user=%s
                                 psql 'postgresql://%s@localhost:%d/%s'
                Data directory   %s
                TLS certificate  %s (self-signed for localhost)

              Stop with Ctrl+C; data stays in the data directory for the next start.
            """.formatted(version, startupMillis / 1000.0, url, postgres.jdbcUrl(DATABASE), EmbeddedPostgresServer.SUPERUSER,
            EmbeddedPostgresServer.SUPERUSER, postgres.port(), DATABASE, dataDir, certificate.certificate());
    }

    /** Stops the embedded database. */
    @Override
    public void close() {
        postgres.close();
    }
}
