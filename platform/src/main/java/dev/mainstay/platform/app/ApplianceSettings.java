package dev.mainstay.platform.app;

import dev.mainstay.platform.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The {@code mainstay.*} settings the launcher and the HTTP layer act on, read once from
 * MicroProfile Config. docs/configuration.md lists every key; keep the two in step.
 *
 * @param host            address to listen on
 * @param port            HTTPS port (plain HTTP when behind a TLS proxy); 0 picks a free one
 * @param redirectPort    a plain-HTTP port that only redirects to HTTPS, if set
 * @param behindTlsProxy  TLS ends at a proxy in front of Mainstay, which listens in plain HTTP
 * @param trustedProxies  addresses whose X-Forwarded-Proto/-Host headers are believed
 * @param tlsCertificate  PEM certificate chain for HTTPS
 * @param tlsPrivateKey   PEM private key (PKCS#8 or PKCS#1) for HTTPS
 * @param dbUrl           JDBC URL of PostgreSQL
 * @param dbUser          database role
 * @param dbPassword      that role's password
 * @param dbPoolSize      maximum connections in the pool
 * @param txLogDir        directory of the transaction manager's recovery log
 * @param logFormat       {@code text} or {@code json}
 * @param logLevel        level for Mainstay's own loggers
 */
public record ApplianceSettings(
    String host,
    int port,
    Optional<Integer> redirectPort,
    boolean behindTlsProxy,
    TrustedProxies trustedProxies,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsPrivateKey,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Path txLogDir,
    LogFormat logFormat,
    String logLevel) {

    /** Key names, in one place for the launcher, the checks and their messages. */
    public static final String HOST = "mainstay.http.host";
    public static final String PORT = "mainstay.http.port";
    /** The HTTPS port when {@link #PORT} is not set. */
    public static final int DEFAULT_PORT = 8443;
    public static final String REDIRECT_PORT = "mainstay.http.redirect-port";
    public static final String BEHIND_TLS_PROXY = "mainstay.http.behind-tls-proxy";
    public static final String TRUSTED_PROXIES = "mainstay.http.trusted-proxies";
    public static final String TLS_CERTIFICATE = "mainstay.tls.certificate";
    public static final String TLS_PRIVATE_KEY = "mainstay.tls.private-key";
    public static final String DB_URL = "mainstay.db.url";
    public static final String DB_USER = "mainstay.db.user";
    public static final String DB_PASSWORD = "mainstay.db.password";
    public static final String DB_POOL_SIZE = "mainstay.db.pool-size";
    public static final String TX_LOG_DIR = "mainstay.tx.log-dir";
    public static final String LOG_FORMAT = "mainstay.log.format";
    public static final String LOG_LEVEL = "mainstay.log.level";

    /** How log records are written to standard output. */
    public enum LogFormat { TEXT, JSON }

    /**
     * Reads the settings.
     *
     * @throws ConfigurationException naming the key whose value cannot be used
     */
    public static ApplianceSettings from(Config config) {
        int port = portValue(config, PORT).orElse(DEFAULT_PORT);
        Optional<Integer> redirect = portValue(config, REDIRECT_PORT);
        String proxies = ConfigValues.text(config, TRUSTED_PROXIES).orElse("");
        TrustedProxies trusted;
        try {
            trusted = TrustedProxies.parse(proxies);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(TRUSTED_PROXIES + ": " + e.getMessage());
        }
        String format = ConfigValues.text(config, LOG_FORMAT).orElse("text");
        LogFormat logFormat = switch (format) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new ConfigurationException(LOG_FORMAT + " must be 'text' or 'json', not '" + format + "'");
        };
        String level = ConfigValues.text(config, LOG_LEVEL).orElse("INFO");
        try {
            java.util.logging.Level.parse(level);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(LOG_LEVEL + " must be a java.util.logging level such as INFO or FINE, not '" + level + "'");
        }
        int pool = integer(config, DB_POOL_SIZE).orElse(10);
        if (pool < 1) {
            throw new ConfigurationException(DB_POOL_SIZE + " must be at least 1, not " + pool);
        }
        return new ApplianceSettings(
            ConfigValues.text(config, HOST).orElse("0.0.0.0"),
            port,
            redirect,
            bool(config, BEHIND_TLS_PROXY),
            trusted,
            ConfigValues.text(config, TLS_CERTIFICATE).map(Path::of),
            ConfigValues.text(config, TLS_PRIVATE_KEY).map(Path::of),
            ConfigValues.text(config, DB_URL),
            ConfigValues.text(config, DB_USER).orElse("mainstay"),
            ConfigValues.text(config, DB_PASSWORD).orElse(""),
            pool,
            Path.of(ConfigValues.text(config, TX_LOG_DIR).orElse("transactions")),
            logFormat,
            level);
    }

    /**
     * The checks {@code serve} makes before it starts anything: TLS material (or an explicit TLS
     * proxy), a database. Each problem names the key to set.
     *
     * @return the problems; empty when the appliance can start
     */
    public List<String> problemsForProduction() {
        List<String> problems = new ArrayList<>();
        if (behindTlsProxy) {
            if (trustedProxies.isEmpty()) {
                problems.add(TRUSTED_PROXIES + " is not set: with " + BEHIND_TLS_PROXY
                    + "=true, name the proxy addresses (CIDR) whose X-Forwarded-Proto header Mainstay may believe");
            }
        } else {
            requireReadableFile(problems, TLS_CERTIFICATE, tlsCertificate);
            requireReadableFile(problems, TLS_PRIVATE_KEY, tlsPrivateKey);
        }
        if (dbUrl.isEmpty()) {
            problems.add(DB_URL + " is not set: serve needs the JDBC URL of its PostgreSQL database");
        } else if (!dbUrl.get().startsWith("jdbc:postgresql:")) {
            problems.add(DB_URL + " must be a jdbc:postgresql: URL");
        }
        return problems;
    }

    private void requireReadableFile(List<String> problems, String key, Optional<Path> file) {
        if (file.isEmpty()) {
            problems.add(key + " is not set: serve needs TLS material (" + TLS_CERTIFICATE + " and " + TLS_PRIVATE_KEY
                + ", PEM files), or " + BEHIND_TLS_PROXY + "=true when a proxy in front of Mainstay terminates TLS");
        } else if (!Files.isReadable(file.get())) {
            problems.add(key + " names " + file.get() + ", which does not exist or cannot be read");
        }
    }


    private static boolean bool(Config config, String key) {
        return ConfigValues.text(config, key).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key + " must be true or false, not '" + v + "'");
        }).orElse(false);
    }

    private static Optional<Integer> integer(Config config, String key) {
        return ConfigValues.text(config, key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(key + " must be a whole number, not '" + v + "'");
            }
        });
    }

    private static Optional<Integer> portValue(Config config, String key) {
        Optional<Integer> port = integer(config, key);
        port.ifPresent(p -> {
            if (p < 0 || p > 65535) {
                throw new ConfigurationException(key + " must be a port between 0 and 65535, not " + p);
            }
        });
        return port;
    }
}
