package dev.mainstay.platform.app;

import dev.mainstay.audit.SigningKey;
import dev.mainstay.platform.app.dev.DevMode;
import dev.mainstay.platform.auditing.AuditSettings;
import dev.mainstay.platform.auditing.SiemSettings;
import dev.mainstay.platform.compliance.DataInventory;
import dev.mainstay.platform.compliance.InventoryCheck;
import dev.mainstay.platform.compliance.PolicyException;
import dev.mainstay.platform.crypto.CryptoSettings;
import dev.mainstay.platform.flaky.webhooks.WebhookSettings;
import dev.mainstay.platform.identity.IdentitySettings;
import dev.mainstay.platform.identity.KeycloakAdminException;
import dev.mainstay.platform.identity.KeycloakAdminSettings;
import dev.mainstay.platform.identity.Policies;
import dev.mainstay.platform.identity.RealmBootstrap;
import dev.mainstay.platform.ingest.UploadSettings;
import dev.mainstay.platform.jobs.JobSettings;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import io.helidon.microprofile.server.Server;
import jakarta.enterprise.inject.spi.CDI;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The appliance's entry point: {@code dev}, {@code serve} and {@code keycloak bootstrap} (see
 * {@link CommandLine#USAGE}).
 *
 * <p>Startup, in order: read the configuration and check it (a production start without TLS
 * material or sign-in settings stops here, naming the key); set up logging; in dev, start the
 * embedded PostgreSQL and Keycloak and make the certificate; load and check the policies (a
 * malformed one stops the start, naming file and line); apply migrations; check the schema
 * against the data inventory; load the key-encryption key and check it
 * unwraps the stored data keys; check the other features' settings (a job schedule that is not a
 * cron expression stops the start, naming its key); start Helidon (CDI, JPA, HTTPS, and the
 * clustered Quartz scheduler of the scheduled jobs, stopped again at shutdown); record the start
 * in the installation row; log the time from JVM start to ready.
 */
public final class Main {

    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONFIG = 3;
    static final int EXIT_DRIFT = 4;

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /** Runs the launcher; returns once the server is up (it then runs until shut down). */
    public static void main(String[] args) {
        CommandLine command;
        try {
            command = CommandLine.parse(List.of(args));
        } catch (CommandLine.UsageException e) {
            System.err.println("mainstay: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        try {
            switch (command) {
                case CommandLine.Help h -> System.out.print(CommandLine.USAGE);
                case CommandLine.Version v -> System.out.println("mainstay " + version());
                case CommandLine.Dev dev -> startDev(dev);
                case CommandLine.Serve serve -> startServe(serve);
                case CommandLine.KeycloakBootstrap bootstrap -> System.exit(bootstrapKeycloak(bootstrap));
                case CommandLine.AuditVerify verify -> System.exit(auditCommands().verify(verify));
                case CommandLine.AuditExport export -> System.exit(auditCommands().export(export));
                case CommandLine.AuditCut cut -> System.exit(auditCommands().cut(cut));
                case CommandLine.AuditKeygen keygen -> System.exit(auditCommands().keygen(keygen));
                case CommandLine.AuditPublicKey publicKey -> System.exit(auditCommands().publicKey(publicKey));
                case CommandLine.TokensCreate create -> System.exit(new TokenCommands(System.out, System.err, Clock.systemUTC()).create(create));
            }
        } catch (ConfigurationException e) {
            System.err.println("mainstay: configuration error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Mainstay failed to start", e);
            System.err.println("mainstay: failed to start: " + e);
            System.exit(EXIT_RUNTIME);
        }
    }

    private static AuditCommands auditCommands() {
        return new AuditCommands(System.out, System.err, Clock.systemUTC());
    }

    /** Runs {@code keycloak bootstrap}; returns the exit code. */
    static int bootstrapKeycloak(CommandLine.KeycloakBootstrap command) {
        try (OperatorSite site = OperatorSite.open(command.target(), System.err)) {
            return bootstrapKeycloak(command, site.config());
        }
    }

    private static int bootstrapKeycloak(CommandLine.KeycloakBootstrap command, Config config) {
        IdentitySettings identity = IdentitySettings.from(config);
        KeycloakAdminSettings admin = KeycloakAdminSettings.from(config);
        List<String> problems = new ArrayList<>(identity.clientProblems());
        problems.addAll(admin.problems());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", problems));
        }
        Policies policies = loadPolicies(config);
        RealmBootstrap.Mode mode = command.check() ? RealmBootstrap.Mode.CHECK : RealmBootstrap.Mode.APPLY;
        List<String> changes;
        try {
            changes = RealmBootstrap.run(identity, admin, policies, mode, Clock.systemUTC(), System.out::println);
        } catch (KeycloakAdminException e) {
            System.err.println("mainstay: keycloak bootstrap failed: " + e.getMessage());
            return EXIT_RUNTIME;
        }
        if (changes.isEmpty()) {
            System.out.println("The realm already has Mainstay's settings; nothing changed.");
            return 0;
        }
        System.out.println(command.check()
            ? changes.size() + " change(s) needed; run without --check to make them."
            : changes.size() + " change(s) made. Running the bootstrap again changes nothing.");
        return command.check() ? EXIT_DRIFT : 0;
    }

    private static void startServe(CommandLine.Serve serve) {
        ConfigSource file = ApplianceConfig.fileSource(serve.configFile());
        FieldEncryption.selectMode(ApplianceConfig.build(file));
        ApplianceSettings settings = ApplianceSettings.from(ApplianceConfig.build(file));
        List<String> problems = new ArrayList<>(settings.problemsForProduction());
        problems.addAll(IdentitySettings.from(ApplianceConfig.build(file)).problems());
        problems.addAll(CryptoSettings.from(ApplianceConfig.build(file)).problems());
        problems.addAll(AuditSettings.from(ApplianceConfig.build(file)).problems());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", problems));
        }
        LogSetup.configure(settings.logFormat(), settings.logLevel());
        String url = start(settings, file);
        LOG.info(() -> "Mainstay ready at " + url + " in " + uptimeMillis() + " ms");
    }

    private static void startDev(CommandLine.Dev dev) {
        ConfigSource defaults = DevMode.defaults();
        Config base = ApplianceConfig.build(defaults);
        FieldEncryption.selectMode(base);
        ApplianceSettings baseSettings = ApplianceSettings.from(base);
        LogSetup.configure(baseSettings.logFormat(), baseSettings.logLevel());
        DevMode devMode = DevMode.start(dev.dataDir(), base, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(devMode::close, "mainstay-dev-services-stop"));
        ConfigSource fixed = devMode.fixedSettings();
        ConfigSource identity = devMode.identityDefaults();
        ConfigSource keys = devMode.keyDefaults();
        ApplianceSettings settings = ApplianceSettings.from(ApplianceConfig.build(defaults, fixed, identity, keys));
        String url = start(settings, defaults, fixed, identity, keys);
        long millis = uptimeMillis();
        // The banner first: whoever waits for the ready line (a script, a test) then finds the banner already written.
        System.out.println(devMode.banner(version(), url, millis) + DevMode.bannerFooter());
        System.out.flush();
        LOG.info(() -> "Mainstay ready at " + url + " in " + millis + " ms");
    }

    /** Migrates, starts the server and records the start; returns the URL it answers at. */
    private static String start(ApplianceSettings settings, ConfigSource... sources) {
        Config startup = ApplianceConfig.build(sources);
        loadPolicies(startup);
        Migrations.apply(settings);
        checkDataInventory(settings);
        FieldEncryption.check(startup, settings, Clock.systemUTC());
        checkAuditKey(startup);
        List<String> uploads = new ArrayList<>(UploadSettings.from(startup).problems());
        uploads.addAll(WebhookSettings.from(startup).problems(startup));
        uploads.addAll(GitHubWebhookSettings.from(startup).problems());
        uploads.addAll(QueueDefaults.from(startup).problems());
        uploads.addAll(GitHubSettings.from(startup).problems(startup));
        uploads.addAll(JobSettings.from(startup).problems());
        if (!uploads.isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", uploads));
        }
        TransactionLog.placeIn(settings.txLogDir());
        Config config = ApplianceConfig.buildForServer(settings, sources);
        Server server = Server.builder().config(config).build().start();
        Installation installation = CDI.current().select(Installations.class).get().recordStart(version());
        LOG.info(() -> "Installation " + installation.id() + " (since " + installation.createdAt() + "), start #"
            + installation.startCount());
        String scheme = settings.behindTlsProxy() ? "http" : "https";
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("127.0.0.1") ? "localhost" : settings.host();
        return scheme + "://" + host + ":" + server.port();
    }

    /**
     * The schema, the JPA mapping and the data inventory must agree: no column that the inventory
     * does not describe, no confidential field stored unprotected.
     */
    private static void checkDataInventory(ApplianceSettings settings) {
        DataInventory inventory;
        try {
            inventory = DataInventory.builtIn();
        } catch (PolicyException e) {
            throw new ConfigurationException("data inventory: " + e.getMessage());
        }
        List<String> problems;
        try (Connection connection = DriverManager.getConnection(settings.dbUrl().orElseThrow(), settings.dbUser(),
            settings.dbPassword())) {
            problems = InventoryCheck.problems(inventory, InventoryCheck.schema(connection), InventoryCheck.mapping());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database schema to check it against the data inventory: "
                + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("the database and the data inventory disagree; Mainstay will not start:\n  "
                + String.join("\n  ", problems));
        }
        LOG.info(() -> "Data inventory: " + inventory.byColumn().size() + " columns listed, schema and mapping agree");
    }

    /** The audit signing key must load: without it no checkpoint could be signed. */
    private static void checkAuditKey(Config config) {
        AuditSettings audit = AuditSettings.from(config);
        List<String> problems = new ArrayList<>(audit.problems());
        problems.addAll(SiemSettings.from(config).problems());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n  ", problems));
        }
        try {
            SigningKey key = audit.loadKey();
            LOG.info(() -> "Audit trail: checkpoints signed with " + key.publicKey().getAlgorithm() + " key " + key.keyId());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("audit signing key: " + e.getMessage());
        }
    }

    /** The policies; a malformed one is a configuration error naming file and line. */
    static Policies loadPolicies(Config config) {
        try {
            return Policies.load(config);
        } catch (PolicyException e) {
            throw new ConfigurationException("policy error: " + e.getMessage());
        }
    }

    private static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** The version from the build, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/mainstay-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return Optional.ofNullable(p.getProperty("version")).filter(v -> !v.startsWith("$")).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
