package dev.mainstay.platform.identity;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.reports.bundle.BundleWriter;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.HttpClients;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.PrivateCa;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance in dev mode against the test JVM's real Keycloak, on a fixed free port so the
 * Keycloak client's exact redirect URI can point at it, with the shipped policies except for two
 * test-sized intervals: how old a sign-in may be for a sensitive action, and how often a
 * session is re-confirmed with Keycloak.
 */
public final class SignedInAppliance implements AutoCloseable {

    /** Sign-ins older than this need a step-up for sensitive actions. */
    static final Duration STEP_UP_MAX_AGE = Duration.ofSeconds(15);
    /** Sessions are re-confirmed with Keycloak this often. */
    static final Duration REVALIDATE_EVERY = Duration.ofSeconds(5);

    private ApplianceProcess process;
    private final Map<String, String> properties;
    private final URI baseUri;
    private final HttpClient http;
    private final Path dataDir;
    private final Path siemFile;

    private SignedInAppliance(ApplianceProcess process, Map<String, String> properties, URI baseUri, Path dataDir, Path siemFile) {
        this.properties = properties;
        this.siemFile = siemFile;
        this.process = process;
        this.baseUri = baseUri;
        this.dataDir = dataDir;
        this.http = HttpClients.trusting(caCertificate());
    }

    private static SignedInAppliance shared;

    private static GitHubSimulator github;

    /** The simulated GitHub the appliance's GitHub App talks to (started with the shared appliance). */
    public static synchronized GitHubSimulator github() {
        shared();
        return github;
    }

    /** The GitHub App webhook secret the appliance checks deliveries against. */
    public static final String GITHUB_WEBHOOK_SECRET = "test-github-webhook-secret-0123456789";

    /** The largest GitHub delivery the appliance takes. */
    public static final int GITHUB_WEBHOOK_MAX_BYTES = 1024 * 1024;

    /** The test JVM's appliance against the shared Keycloak, started on first use. */
    public static synchronized SignedInAppliance shared() {
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
            // Serve a certificate from a private CA, as enterprises do, rather than dev mode's self-signed one.
            PrivateCa ca = PrivateCa.issue(dir.resolve("ca"));
            Path tls = Files.createDirectories(dir.resolve("data").resolve("tls"));
            Files.copy(ca.serverCertificate(), tls.resolve("cert.pem"));
            Files.copy(ca.serverKey(), tls.resolve("key.pem"));
            // The GitHub App talks to a simulated GitHub Enterprise Server behind the same private CA.
            github = GitHubSimulator.startTls(ca);
            Path appKey = Files.writeString(dir.resolve("github-app.pem"), github.app().privateKeyPkcs8Pem());
            int port = freePort();
            URI base = URI.create("https://localhost:" + port);
            keycloak.admin().pointClientAt(base);
            Map<String, String> properties = Map.ofEntries(
                    Map.entry("mainstay.http.port", Integer.toString(port)),
                    Map.entry("mainstay.dev.postgres-port", "0"),
                    Map.entry("mainstay.oidc.issuer", keycloak.issuer().toString()),
                    Map.entry("mainstay.oidc.client-secret", keycloak.clientSecret()),
                    Map.entry("mainstay.policies.dir", policies.toString()),
                    // Keycloak's events are pulled every second, so tests find them in the trail at once.
                    Map.entry("mainstay.jobs.keycloak-events.schedule", "* * * * * ?"),
                    Map.entry("mainstay.audit.siem.file", dir.resolve("siem").resolve("audit.jsonl").toString()),
                    Map.entry("mainstay.audit.siem.interval", "1s"),
                    // Webhook receivers in tests serve certificates from the same private CA, and retry within a second.
                    Map.entry("mainstay.webhooks.ca", ca.caCertificate().toString()),
                    Map.entry("mainstay.webhooks.retry-initial", "1s"),
                    // GitHub deliveries are signed with this secret, and a mebibyte is the most a test needs.
                    Map.entry("mainstay.github.webhook-secret", GITHUB_WEBHOOK_SECRET),
                    Map.entry("mainstay.github.webhook-max-bytes", Integer.toString(GITHUB_WEBHOOK_MAX_BYTES)),
                    Map.entry("mainstay.github.api-url", github.apiUrl()),
                    Map.entry("mainstay.github.app-id", Long.toString(github.app().id())),
                    Map.entry("mainstay.github.private-key", appKey.toString()),
                    Map.entry("mainstay.github.ca", ca.caCertificate().toString()),
                    // Queue tests run a few pull requests at a time: each is tested as it arrives.
                    Map.entry("mainstay.queue.batch-max-wait", "0s"));
            ApplianceProcess process = launch(dir.resolve("data"), properties, "appliance.log");
            return new SignedInAppliance(process, properties, base, dir.resolve("data"), dir.resolve("siem").resolve("audit.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApplianceProcess launch(Path dataDir, Map<String, String> properties, String log) {
        return ApplianceProcess.startAndAwaitReady(dataDir.resolveSibling(log), properties, Duration.ofSeconds(180), "dev", "--data-dir",
            dataDir.toString());
    }

    /**
     * Kills the appliance as {@code kill -9} or a power cut would, and starts it again on the same
     * data directory and port; sessions and tokens live in the database and survive.
     */
    public synchronized void crashAndRestart() {
        process.kill();
        process = launch(dataDir, properties, "appliance-after-crash-" + System.nanoTime() + ".log");
    }

    /** The private CA's certificate, which issued the appliance's: what a client must trust. */
    public Path caCertificate() {
        return dataDir.resolveSibling("ca").resolve("ca.pem");
    }

    /** Signs the org admin in and makes an API token with {@code scopes}; returns its secret. */
    public String token(BrowserContext context, KeycloakFixture keycloak, String name, String... scopes) throws Exception {
        return token(signIn(context, keycloak, TestUser.ADMIN), name, List.of(scopes));
    }

    /** Makes an API token with {@code scopes}, for a day, through the API in the org admin's {@code session}; returns its secret. */
    public String token(Session admin, String name, List<String> scopes) throws Exception {
        HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/orgs/" + TestUser.ADMIN.org() + "/tokens")))
            .header("Content-Type", "application/json").header("Cookie", admin.cookie()).header(AccessFilter.CSRF_HEADER, admin.csrf())
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"scopes\": [\"" + String.join("\", \"", scopes)
                + "\"], \"days\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = Pattern.compile("msy_[0-9A-Za-z]{38}").matcher(made.body());
        if (made.statusCode() != 201 || !token.find()) {
            throw new IllegalStateException("could not make a token: " + made.statusCode() + " " + made.body());
        }
        return token.group();
    }

    public URI baseUri() {
        return baseUri;
    }

    public String url(String path) {
        return baseUri + path;
    }

    /** Sends {@code files} as one upload bundle with {@code metadata}, under the API {@code token} and idempotency {@code key}. */
    public HttpResponse<String> upload(String token, String key, UploadMetadata metadata, Map<String, byte[]> files) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/uploads"))).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/gzip").header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bundle(metadata, files))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An upload bundle: {@code mainstay.json} from {@code metadata}, then {@code files} in their map's order. */
    public static byte[] bundle(UploadMetadata metadata, Map<String, byte[]> files) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(out, metadata)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writer.add(f.getKey(), f.getValue());
            }
        }
        return out.toByteArray();
    }

    /** Sends {@code body} (none when null) as JSON with {@code method} to {@code path}, in {@code session}, with its CSRF header. */
    public HttpResponse<String> json(Session session, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
            .header("Cookie", session.cookie()).header(AccessFilter.CSRF_HEADER, session.csrf());
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The first value {@code sql} returns once it returns one (background work, such as re-scoring, gets there after
     * the request that caused it); fails naming {@code what} after 30 s.
     */
    public String await(String what, String sql, Object... parameters) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> found = column(sql, parameters);
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not there after 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** An HTTP client that trusts the appliance's dev certificate. */
    /**
     * POSTs a GitHub webhook delivery to {@code /webhooks/github} as GitHub does; {@code signature} is the
     * {@code X-Hub-Signature-256} header, or null for none.
     */
    public HttpResponse<String> deliverGitHub(String event, String delivery, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/webhooks/github")))
            .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/test")
            .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a delivery the GitHub simulator recorded, signed with the secret the appliance checks. */
    public HttpResponse<String> deliverGitHub(Webhooks.Delivery d) throws Exception {
        return deliverGitHub(d.event(), d.id(), d.body(), Webhooks.sign(d.body(), GITHUB_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    public HttpClient http() {
        return http;
    }

    /** The JSON Lines file the appliance delivers its audit trail to, every second. */
    public Path siemFile() {
        return siemFile;
    }

    /** The dev data directory: keys, certificate, database files. */
    public Path dataDir() {
        return dataDir;
    }

    /** The embedded database's JDBC URL, with its user, as the banner names it. */
    public String jdbcUrl() {
        Matcher m = Pattern.compile("Database\\s+(jdbc:postgresql:\\S+)").matcher(process.output());
        if (!m.find()) {
            throw new IllegalStateException("the dev banner names no database:\n" + process.output());
        }
        return m.group(1);
    }

    public String output() {
        return process.output();
    }

    /** A connection to the appliance's embedded database, as the banner names it (superuser). */
    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** The first column of each row {@code sql} returns, with {@code parameters} bound in order, as text. */
    public List<String> column(String sql, Object... parameters) throws SQLException {
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
    public record Session(String cookie, String csrf) {
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** Opens {@code path}, signs {@code user} in on Keycloak's form and waits to be back at the appliance. */
    public void signIn(Page page, KeycloakFixture keycloak, TestUser user, String path) {
        page.navigate(url(path));
        keycloak.signIn(page, user);
        page.waitForURL(u -> u.startsWith(baseUri.toString()));
    }

    /** Signs {@code user} in through the real Keycloak form in {@code context} and returns the session. */
    public Session signIn(BrowserContext context, KeycloakFixture keycloak, TestUser user) {
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
