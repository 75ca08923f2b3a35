package dev.mainstay.platform.app;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.dev.DevDataDir;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The installation an operator command acts on, from {@code --config FILE} or from
 * {@code --data-dir DIR} (see {@link DevDataDir}), and the audit events such commands record:
 * done by the operating-system user on the appliance's host.
 */
final class OperatorSite implements AutoCloseable {

    private final Config config;
    private final Optional<DevDataDir> dataDir;

    private OperatorSite(Config config, Optional<DevDataDir> dataDir) {
        this.config = config;
        this.dataDir = dataDir;
    }

    /**
     * Reads the configuration; for a data directory, reaches its database.
     *
     * @param notes where to say what was started for the command (standard error: standard output may be a token)
     * @throws ConfigurationException if the file cannot be read or the directory is not a dev data directory
     */
    static OperatorSite open(CommandLine.Target target, PrintStream notes) {
        return switch (target) {
            case CommandLine.ConfigFile file -> new OperatorSite(ApplianceConfig.build(ApplianceConfig.fileSource(file.file())),
                Optional.empty());
            case CommandLine.DataDir dir -> {
                DevDataDir opened = DevDataDir.open(dir.dir(), notes);
                yield new OperatorSite(ApplianceConfig.build(opened.settings(ApplianceConfig.build())), Optional.of(opened));
            }
        };
    }

    /** The installation's configuration. */
    Config config() {
        return config;
    }

    /** The database settings, which must name a database. */
    ApplianceSettings database() {
        ApplianceSettings settings = ApplianceSettings.from(config);
        if (settings.dbUrl().isEmpty()) {
            throw new ConfigurationException(ApplianceSettings.DB_URL + " is not set");
        }
        return settings;
    }

    /** A new connection to the installation's database. */
    Connection connect() throws SQLException {
        ApplianceSettings settings = database();
        return DriverManager.getConnection(settings.dbUrl().get(), settings.dbUser(), settings.dbPassword());
    }

    /** An event done by the person running this command, on the appliance's host. */
    static AuditEvent operatorEvent(Clock clock, String org, String action, AuditEvent.Target target, Map<String, String> details) {
        String user = operator();
        return new AuditEvent(clock.instant(), new AuditEvent.Actor("operator", user, user, "", ""), AuditEvent.Request.NONE, org,
            action, target, AuditEvent.Outcome.SUCCESS, details);
    }

    /** The operating-system user running this command. */
    static String operator() {
        return System.getProperty("user.name", "unknown");
    }

    /** Stops what {@link #open} started for the command. */
    @Override
    public void close() {
        dataDir.ifPresent(DevDataDir::close);
    }
}
