package dev.mainstay.platform.app.dev;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import dev.mainstay.devservices.KeycloakServer;
import dev.mainstay.devservices.MainstayRealm;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.app.ApplianceSettings;
import dev.mainstay.platform.app.ConfigurationException;
import dev.mainstay.audit.SigningKey;
import dev.mainstay.platform.auditing.AuditSettings;
import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.crypto.KekSource;
import dev.mainstay.platform.crypto.KeyMaterialException;
import dev.mainstay.platform.identity.IdentitySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * What {@code ./mainstay dev} adds to a normal start: an embedded PostgreSQL whose data lives in
 * {@code <data-dir>/postgres}, a local Keycloak in {@code <data-dir>/keycloak} with the
 * {@code mainstay} realm and demo users, a self-signed certificate in {@code <data-dir>/tls},
 * the key-encryption key in {@code <data-dir>/kek.key}, the audit signing key in
 * {@code <data-dir>/audit-signing.pem}, and the secrets in {@code <data-dir>/secrets.properties}, all kept across restarts. The appliance then starts exactly as in production, against them.
 */
public final class DevMode implements AutoCloseable {

    /** Port of the local Keycloak's HTTP listener. */
    public static final String KEYCLOAK_PORT = "mainstay.dev.keycloak-port";
    private static final int DEFAULT_KEYCLOAK_PORT = 8180;
    /** Port of the embedded PostgreSQL; 0 picks a free one. */
    public static final String POSTGRES_PORT = "mainstay.dev.postgres-port";
    private static final int DEFAULT_POSTGRES_PORT = 15432;
    /** The database the appliance uses on the embedded server. */
    public static final String DATABASE = "mainstay";
    /** The dev key-encryption key, in the data directory. */
    static final String KEK_FILE = "kek.key";
    /** The dev audit checkpoint signing key, in the data directory. */
    static final String AUDIT_KEY_FILE = "audit-signing.pem";

    private static final Logger LOG = Logger.getLogger(DevMode.class.getName());

    private final Path dataDir;
    private final EmbeddedPostgresServer postgres;
    private final DevCertificate certificate;
    private final DevSecrets secrets;
    private final URI publicUrl;
    private final Optional<DevKeycloak> keycloak;
    private final Optional<Path> kekFile;
    private final Optional<Path> auditKey;

    private DevMode(Path dataDir, EmbeddedPostgresServer postgres, DevCertificate certificate, DevSecrets secrets, URI publicUrl,
                    Optional<DevKeycloak> keycloak, Optional<Path> kekFile, Optional<Path> auditKey) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.certificate = certificate;
        this.secrets = secrets;
        this.publicUrl = publicUrl;
        this.keycloak = keycloak;
        this.kekFile = kekFile;
        this.auditKey = auditKey;
    }

    /** Defaults for dev that users may still override: listen on loopback only. */
    public static ConfigSource defaults() {
        return ApplianceConfig.source("mainstay-dev-defaults", Map.of(
            ApplianceSettings.HOST, "127.0.0.1",
            POSTGRES_PORT, Integer.toString(DEFAULT_POSTGRES_PORT)), ApplianceConfig.DEV_DEFAULTS_ORDINAL);
    }

    /**
     * Starts the embedded database and, unless {@code mainstay.oidc.issuer} names another one, the
     * local Keycloak; provides the certificate and the dev secrets.
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
        DevSecrets secrets = DevSecrets.ensure(dir);
        Optional<Path> kekFile = devKek(dir, CryptoSettings.from(config));
        Optional<Path> auditKey = devAuditKey(dir, AuditSettings.from(config));
        URI publicUrl = publicUrl(config);
        Optional<DevKeycloak> keycloak = config.getOptionalValue(IdentitySettings.ISSUER, String.class).isPresent()
            ? Optional.empty()
            : Optional.of(DevKeycloak.startInBackground(dir,
                keycloakPort(config), publicUrl, secrets));
        int pgPort = config.getOptionalValue(POSTGRES_PORT, Integer.class).orElse(DEFAULT_POSTGRES_PORT);
        long started = System.nanoTime();
        EmbeddedPostgresServer postgres;
        try {
            postgres = EmbeddedPostgresServer.builder()
                .persistentDataDirectory(dir.resolve("postgres"))
                .port(pgPort)
                .start();
        } catch (IllegalArgumentException e) {
            keycloak.ifPresent(DevKeycloak::stop);
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
            keycloak.ifPresent(DevKeycloak::stop);
            throw e;
        }
        return new DevMode(dir, postgres, certificate, secrets, publicUrl, keycloak, kekFile, auditKey);
    }

    /** The address browsers use: {@code mainstay.http.public-url}, else {@code https://localhost:<mainstay.http.port>}. */
    static URI publicUrl(Config config) {
        int httpPort = config.getOptionalValue(ApplianceSettings.PORT, Integer.class).orElse(ApplianceSettings.DEFAULT_PORT);
        return config.getOptionalValue(IdentitySettings.PUBLIC_URL, String.class).map(URI::create)
            .orElse(URI.create("https://localhost:" + httpPort));
    }

    /** The port of the local Keycloak: {@code mainstay.dev.keycloak-port}, else {@value #DEFAULT_KEYCLOAK_PORT}. */
    static int keycloakPort(Config config) {
        return config.getOptionalValue(KEYCLOAK_PORT, Integer.class).orElse(DEFAULT_KEYCLOAK_PORT);
    }

    /** {@code <data-dir>/audit-signing.pem}, made now if missing, unless configuration names a signing key. */
    private static Optional<Path> devAuditKey(Path dir, AuditSettings audit) {
        if (audit.signingKey().isPresent()) {
            return Optional.empty();
        }
        Path file = dir.resolve(AUDIT_KEY_FILE);
        if (!Files.exists(file)) {
            try {
                SigningKey.generate(audit.crypto()).write(file);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
            LOG.info(() -> "Made the dev audit signing key " + file);
        }
        return Optional.of(file);
    }

    /** {@code <data-dir>/kek.key}, made now if missing, unless configuration names a KEK. */
    private static Optional<Path> devKek(Path dir, CryptoSettings crypto) {
        if (!crypto.kekSources().isEmpty()) {
            return Optional.empty();
        }
        Path file = dir.resolve(KEK_FILE);
        try {
            if (KekSource.createIfMissing(file, CryptoProviders.of(crypto.fips()))) {
                LOG.info(() -> "Made the dev key-encryption key " + file + "; without it the encrypted data here cannot be read");
            }
        } catch (KeyMaterialException e) {
            throw new ConfigurationException(e.getMessage());
        }
        return Optional.of(file);
    }

    /**
     * Sign-in settings for dev, which configuration may override: the public URL, the session
     * secret, and the local Keycloak's realm and client secret (waiting for Keycloak if needed).
     */
    public ConfigSource identityDefaults() {
        Map<String, String> values = new HashMap<>();
        values.put(IdentitySettings.PUBLIC_URL, publicUrl.toString());
        values.put(IdentitySettings.SESSION_SECRET, secrets.sessionSecret());
        keycloak.ifPresent(k -> {
            values.put(IdentitySettings.ISSUER, k.await().issuer(MainstayRealm.REALM).toString());
            values.put(IdentitySettings.CLIENT_SECRET, secrets.clientSecret());
        });
        return ApplianceConfig.source("mainstay-dev-identity", values, ApplianceConfig.DEV_DEFAULTS_ORDINAL);
    }

    /**
     * The keys for dev, unless configuration names them: the key-encryption key
     * {@code <data-dir>/kek.key} (32 random bytes) and the audit signing key
     * {@code <data-dir>/audit-signing.pem}, made on first start and readable by the owner only.
     */
    public ConfigSource keyDefaults() {
        Map<String, String> keys = new HashMap<>();
        kekFile.ifPresent(f -> keys.put(CryptoSettings.KEK_FILE, f.toString()));
        auditKey.ifPresent(f -> keys.put(AuditSettings.SIGNING_KEY, f.toString()));
        return ApplianceConfig.source("mainstay-dev-keys", keys, ApplianceConfig.DEV_DEFAULTS_ORDINAL);
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
        return bannerHead(version, url, startupMillis) + keycloakBanner();
    }

    private String keycloakBanner() {
        if (keycloak.isEmpty()) {
            return "";
        }
        KeycloakServer server = keycloak.get().await();
        StringBuilder out = new StringBuilder();
        out.append("    Keycloak         ").append(server.baseUri()).append("/admin (realm ").append(MainstayRealm.REALM).append(")\n");
        if (secrets.newlyMade()) {
            out.append("                     admin console: admin / ").append(secrets.keycloakAdmin()).append('\n');
            out.append("    Demo users       org 'acme'; each enrols a one-time-code app at first sign-in\n");
            for (int i = 0; i < DevSecrets.DEMO_USERS.size(); i++) {
                out.append("                     %-11s %s%n".formatted(DevSecrets.DEMO_USERS.get(i), secrets.demoPasswords().get(i)));
            }
            out.append("                     (passwords are shown this once; they are kept in ")
                .append(dataDir.resolve(DevSecrets.FILE)).append(")\n");
        } else {
            out.append("    Demo users       admin, maintainer, member, auditor; passwords in ")
                .append(dataDir.resolve(DevSecrets.FILE)).append('\n');
        }
        return out.toString();
    }

    private String bannerHead(String version, String url, long startupMillis) {
        return """

              Mainstay %s is ready (dev mode, started in %.1f s)

                Web UI and API   %s
                Database         %s?user=%s
                                 psql 'postgresql://%s@localhost:%d/%s'
                Data directory   %s
                TLS certificate  %s (self-signed for localhost)
            """.formatted(version, startupMillis / 1000.0, url, postgres.jdbcUrl(DATABASE), EmbeddedPostgresServer.SUPERUSER,
            EmbeddedPostgresServer.SUPERUSER, postgres.port(), DATABASE, dataDir, certificate.certificate());
    }

    /** The line that ends the banner. */
    public static String bannerFooter() {
        return "\n  Stop with Ctrl+C; data stays in the data directory for the next start.\n";
    }

    /** Stops Keycloak and the embedded database. */
    @Override
    public void close() {
        keycloak.ifPresent(DevKeycloak::stop);
        postgres.close();
    }
}
