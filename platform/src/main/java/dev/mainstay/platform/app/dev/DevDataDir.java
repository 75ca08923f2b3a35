package dev.mainstay.platform.app.dev;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import dev.mainstay.devservices.KeycloakServer;
import dev.mainstay.devservices.MainstayRealm;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.app.ApplianceSettings;
import dev.mainstay.platform.app.ConfigurationException;
import dev.mainstay.platform.auditing.AuditSettings;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.identity.IdentitySettings;
import dev.mainstay.platform.identity.KeycloakAdminSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A {@code ./mainstay dev} data directory opened by an operator command ({@code tokens create},
 * {@code audit export}, {@code keycloak bootstrap} ... {@code --data-dir DIR}), so that nobody
 * hand-writes a configuration file pointing at the dev keys.
 *
 * <p>The database is the one the dev appliance runs, when it runs: its postmaster writes
 * {@code postgres/postmaster.pid}, whose fourth line is the port. When it does not run, the
 * embedded PostgreSQL is started on the directory for the command and stopped after it. A second
 * server is never started on a directory a live postmaster holds: that would stop it.
 */
public final class DevDataDir implements AutoCloseable {

    private final Path dir;
    private final Optional<EmbeddedPostgresServer> startedHere;
    private final int port;

    private DevDataDir(Path dir, Optional<EmbeddedPostgresServer> startedHere, int port) {
        this.dir = dir;
        this.startedHere = startedHere;
        this.port = port;
    }

    /**
     * Opens {@code dataDir}, reaching its database (started now if the dev appliance is not running).
     *
     * @param notes where to say that the database was started for the command
     * @throws ConfigurationException if {@code dataDir} is not a dev data directory that has been started once
     */
    public static DevDataDir open(Path dataDir, PrintStream notes) {
        Path dir = dataDir.toAbsolutePath().normalize();
        for (String required : List.of("postgres", DevSecrets.FILE, DevMode.KEK_FILE)) {
            if (!Files.exists(dir.resolve(required))) {
                throw new ConfigurationException("--data-dir " + dir + " is not a Mainstay dev data directory (it has no " + required
                    + "); run ./mainstay dev --data-dir " + dataDir + " once to make it");
            }
        }
        Optional<Integer> running = runningPort(dir.resolve("postgres"));
        if (running.isPresent()) {
            return new DevDataDir(dir, Optional.empty(), running.get());
        }
        notes.println("mainstay: the dev appliance is not running; starting its database in " + dir.resolve("postgres")
            + " for this command...");
        EmbeddedPostgresServer postgres;
        try {
            postgres = EmbeddedPostgresServer.builder().persistentDataDirectory(dir.resolve("postgres")).port(0).start();
        } catch (IllegalStateException e) {
            throw new ConfigurationException("the dev database in " + dir.resolve("postgres") + " did not start: " + e.getMessage());
        }
        return new DevDataDir(dir, Optional.of(postgres), postgres.port());
    }

    /** The port of the postmaster that holds {@code pgData}, when one is alive. */
    static Optional<Integer> runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).strip());
            int port = Integer.parseInt(lines.get(3).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> port);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The settings the dev appliance runs with: its database, keys, Keycloak and secrets, at the
     * dev defaults' strength, so the environment ({@code MAINSTAY_...}) still overrides them.
     *
     * @param environment the environment and system properties, for the ports the dev appliance was given
     */
    public ConfigSource settings(Config environment) {
        DevSecrets secrets = DevSecrets.ensure(dir);
        Map<String, String> values = new HashMap<>();
        values.put(ApplianceSettings.DB_URL, EmbeddedPostgresServer.jdbcUrl(port, DevMode.DATABASE));
        values.put(ApplianceSettings.DB_USER, EmbeddedPostgresServer.SUPERUSER);
        values.put(CryptoSettings.KEK_FILE, dir.resolve(DevMode.KEK_FILE).toString());
        values.put(AuditSettings.SIGNING_KEY, dir.resolve(DevMode.AUDIT_KEY_FILE).toString());
        values.put(IdentitySettings.SESSION_SECRET, secrets.sessionSecret());
        values.put(IdentitySettings.PUBLIC_URL, DevMode.publicUrl(environment).toString());
        values.put(IdentitySettings.ISSUER, KeycloakServer.issuer(DevMode.keycloakPort(environment), MainstayRealm.REALM).toString());
        values.put(IdentitySettings.CLIENT_SECRET, secrets.clientSecret());
        values.put(KeycloakAdminSettings.USERNAME, DevKeycloak.ADMIN);
        values.put(KeycloakAdminSettings.PASSWORD, secrets.keycloakAdmin());
        return ApplianceConfig.source("mainstay-dev-data-dir:" + dir, values, ApplianceConfig.DEV_DEFAULTS_ORDINAL);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Stops the database if this command started it. */
    @Override
    public void close() {
        startedHere.ifPresent(EmbeddedPostgresServer::close);
    }
}
