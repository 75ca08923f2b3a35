package dev.mainstay.platform.identity;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.HttpClients;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.ArrayList;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance in dev mode against the test JVM's real Keycloak, on a fixed free port so the
 * Keycloak client's exact redirect URI can point at it, with the shipped policies except for two
 * test-sized intervals: how old a sign-in may be for a sensitive action, and how often a
 * session is re-confirmed with Keycloak.
 */
final class SignedInAppliance implements AutoCloseable {

    /** Sign-ins older than this need a step-up for sensitive actions. */
    static final Duration STEP_UP_MAX_AGE = Duration.ofSeconds(15);
    /** Sessions are re-confirmed with Keycloak this often. */
    static final Duration REVALIDATE_EVERY = Duration.ofSeconds(5);

    private final ApplianceProcess process;
    private final URI baseUri;
    private final HttpClient http;
    private final Path dataDir;
    private final Path siemFile;

    private SignedInAppliance(ApplianceProcess process, URI baseUri, Path dataDir, Path siemFile) {
        this.siemFile = siemFile;
        this.process = process;
        this.baseUri = baseUri;
        this.dataDir = dataDir;
        Path certificate = dataDir.resolve("tls").resolve("cert.pem");
        this.http = HttpClients.trusting(certificate);
    }

    private static SignedInAppliance shared;

    /** The test JVM's appliance against the shared Keycloak, started on first use. */
    static synchronized SignedInAppliance shared() {
        if (shared == null) {
            shared = start(KeycloakFixture.shared(), "signed-in");
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "signed-in-appliance-stop"));
        }
        return shared;
    }

    private static SignedInAppliance start(KeycloakFixture keycloak, String name) {
        try {
            Path dir = TempDirs.create("mainstay-" + name + "-");
            Path policies = Files.createDirectories(dir.resolve("policies"));
            Path shipped = Path.of("..", "policies");
            Files.copy(shipped.resolve("access.yaml"), policies.resolve("access.yaml"));
            String authentication = Files.readString(shipped.resolve("authentication.yaml"))
                .replace("max-age: 10m", "max-age: " + STEP_UP_MAX_AGE.toSeconds() + "s")
                .replace("revalidate-every: 30s", "revalidate-every: " + REVALIDATE_EVERY.toSeconds() + "s");
            Files.writeString(policies.resolve("authentication.yaml"), authentication);
            int port = freePort();
            URI base = URI.create("https://localhost:" + port);
            keycloak.admin().pointClientAt(base);
            ApplianceProcess process = ApplianceProcess.startAndAwaitReady(dir.resolve("appliance.log"), Map.of(
                    "mainstay.http.port", Integer.toString(port),
                    "mainstay.dev.postgres-port", "0",
                    "mainstay.oidc.issuer", keycloak.issuer().toString(),
                    "mainstay.oidc.client-secret", keycloak.clientSecret(),
                    "mainstay.policies.dir", policies.toString(),
                    "mainstay.audit.keycloak-events-interval", "1s",
                    "mainstay.audit.siem.file", dir.resolve("siem").resolve("audit.jsonl").toString(),
                    "mainstay.audit.siem.interval", "1s"),
                Duration.ofSeconds(180), "dev", "--data-dir", dir.resolve("data").toString());
            return new SignedInAppliance(process, base, dir.resolve("data"), dir.resolve("siem").resolve("audit.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUri() {
        return baseUri;
    }

    String url(String path) {
        return baseUri + path;
    }

    /** An HTTP client that trusts the appliance's dev certificate. */
    HttpClient http() {
        return http;
    }

    /** The JSON Lines file the appliance delivers its audit trail to, every second. */
    Path siemFile() {
        return siemFile;
    }

    /** The dev data directory: keys, certificate, database files. */
    Path dataDir() {
        return dataDir;
    }

    /** The embedded database's JDBC URL, with its user, as the banner names it. */
    String jdbcUrl() {
        Matcher m = Pattern.compile("Database\\s+(jdbc:postgresql:\\S+)").matcher(process.output());
        if (!m.find()) {
            throw new IllegalStateException("the dev banner names no database:\n" + process.output());
        }
        return m.group(1);
    }

    String output() {
        return process.output();
    }

    /** A connection to the appliance's embedded database, as the banner names it (superuser). */
    Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** The first column of each row {@code sql} returns, with {@code parameters} bound in order, as text. */
    List<String> column(String sql, Object... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = database(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    /**
     * A person's session for plain HTTP requests.
     *
     * @param cookie the {@code Cookie} header value
     * @param csrf   the session's anti-CSRF token
     */
    record Session(String cookie, String csrf) {
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** Opens {@code path}, signs {@code user} in on Keycloak's form and waits to be back at the appliance. */
    void signIn(Page page, KeycloakFixture keycloak, TestUser user, String path) {
        page.navigate(url(path));
        keycloak.signIn(page, user);
        page.waitForURL(u -> u.startsWith(baseUri.toString()));
    }

    /** Signs {@code user} in through the real Keycloak form in {@code context} and returns the session. */
    Session signIn(BrowserContext context, KeycloakFixture keycloak, TestUser user) {
        context.clearCookies();
        Page page = context.newPage();
        page.navigate(url("/account"));
        keycloak.signIn(page, user);
        page.waitForURL(u -> u.startsWith(url("/account")));
        Matcher csrf = CSRF.matcher(page.content());
        if (!csrf.find()) {
            throw new IllegalStateException("the account page carries no anti-CSRF token:\n" + page.content());
        }
        String session = context.cookies(baseUri.toString()).stream()
            .filter(c -> c.name.equals(SessionCookies.SESSION)).map(c -> c.value).findFirst().orElseThrow();
        page.close();
        return new Session(SessionCookies.SESSION + "=" + session, csrf.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
