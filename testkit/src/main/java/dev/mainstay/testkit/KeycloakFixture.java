package dev.mainstay.testkit;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import dev.mainstay.devservices.KeycloakDistribution;
import dev.mainstay.devservices.KeycloakServer;
import dev.mainstay.devservices.MainstayRealm;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * One real Keycloak per test JVM with the test {@code mainstay} realm ({@link TestUser}s with
 * seeded TOTP secrets), started on first use and stopped when the JVM exits.
 *
 * <p>Why one per JVM: a start takes 25 seconds (a minute the very first time, when the
 * distribution is unpacked and Keycloak builds itself), so test classes share it. It runs on free
 * ports with an in-memory database, so every JVM starts from the realm file; tests that change the
 * realm through {@link #admin()} put it back. Its home lives under
 * {@link KeycloakDistribution#cacheDirectory()} and is reused across runs; a JVM that finds a home
 * busy (another test JVM) takes the next one.
 *
 * <p>Use {@link #shared()} directly, or {@code @ExtendWith(KeycloakExtension.class)} to receive
 * it as a test parameter.
 */
public final class KeycloakFixture {

    /** The bootstrap administrator of the {@code master} realm. */
    public static final String ADMIN_USERNAME = "keycloak-admin";
    /** The bootstrap administrator's password. */
    public static final String ADMIN_PASSWORD = "keycloak-admin-test";

    private static final Logger LOG = Logger.getLogger(KeycloakFixture.class.getName());
    private static final int HOMES = 4;
    private static final Duration LOGIN_PAGE_TIMEOUT = Duration.ofSeconds(15);
    private static KeycloakFixture shared;

    /** The last TOTP step used per secret: Keycloak refuses a code used before in the same step. */
    private static final Map<String, Long> LAST_STEP = new ConcurrentHashMap<>();

    private final KeycloakServer server;
    private final KeycloakAdmin admin;

    private KeycloakFixture(KeycloakServer server) {
        this.server = server;
        this.admin = new KeycloakAdmin(server.baseUri(), MainstayRealm.REALM, MainstayRealm.CLIENT_ID,
            server.adminUsername(), server.adminPassword());
    }

    /**
     * The JVM's Keycloak, started now if this is the first call.
     *
     * @throws IllegalStateException if Keycloak cannot start; the message carries the end of its log
     */
    public static synchronized KeycloakFixture shared() {
        if (shared == null) {
            long started = System.nanoTime();
            KeycloakServer server = start();
            shared = new KeycloakFixture(server);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-fixture-stop"));
            LOG.info(() -> "Keycloak ready at " + server.baseUri() + " in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms (log: " + server.logFile() + ")");
        }
        return shared;
    }

    private static KeycloakServer start() {
        Path cache = KeycloakDistribution.cacheDirectory();
        for (int slot = 0; ; slot++) {
            KeycloakServer.Builder builder = KeycloakServer.builder()
                .home(cache.resolve("test-home-" + slot))
                .httpPort(0)
                .database(KeycloakServer.Database.DEV_MEM)
                .importRealm(MainstayRealm.REALM, TestRealm.json())
                .bootstrapAdmin(ADMIN_USERNAME, ADMIN_PASSWORD)
                .logFile(cache.resolve("test-home-" + slot + ".log"));
            TestRealm.environment().forEach(builder::environment);
            try {
                return builder.start();
            } catch (KeycloakServer.HomeInUseException e) {
                if (slot == HOMES - 1) {
                    throw new IllegalStateException("All " + HOMES + " Keycloak test homes under " + cache
                        + " are in use by other test JVMs", e);
                }
            }
        }
    }

    /** The running server. */
    public KeycloakServer server() {
        return server;
    }

    /** The server's root URL, e.g. {@code http://localhost:41234}. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** The issuer of the {@code mainstay} realm. */
    public URI issuer() {
        return server.issuer(MainstayRealm.REALM);
    }

    /** The {@code mainstay} client's id. */
    public String clientId() {
        return MainstayRealm.CLIENT_ID;
    }

    /** The {@code mainstay} client's secret in tests. */
    public String clientSecret() {
        return TestRealm.CLIENT_SECRET;
    }

    /** The realm's authorization endpoint. */
    public URI authorizationEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/auth");
    }

    /** The realm's token endpoint. */
    public URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    /** Keycloak's own account console for the realm: a page to log in to without the appliance. */
    public URI accountConsole() {
        return URI.create(issuer() + "/account");
    }

    /** Admin REST calls for arranging scenarios. */
    public KeycloakAdmin admin() {
        return admin;
    }

    /**
     * Logs {@code user} in on Keycloak's login page, where the browser was sent: user name and
     * password, then, if Keycloak asks for it, the TOTP code from the user's seeded secret. Returns
     * when the browser has left the last Keycloak form it submitted.
     *
     * @throws IllegalStateException if the page is not a login page, or Keycloak asks for a code from a user without a secret
     */
    public void signIn(Page page, TestUser user) {
        Locator password = page.locator("input[name=password]");
        try {
            // A single-page application (the account console, say) reaches the login page by script, after its own load.
            password.waitFor(new Locator.WaitForOptions().setTimeout(LOGIN_PAGE_TIMEOUT.toMillis()));
        } catch (TimeoutError e) {
            throw new IllegalStateException("Not on Keycloak's login page after " + LOGIN_PAGE_TIMEOUT.toSeconds() + " s: "
                + page.url() + " titled '" + page.title() + "'", e);
        }
        // On a re-authentication (prompt=login with a live Keycloak session) the username is shown, not asked.
        Locator username = page.locator("input[name=username]");
        if (username.count() > 0 && username.isEditable()) {
            username.fill(user.username());
        }
        password.fill(user.password());
        page.waitForNavigation(() -> page.locator("#kc-login").click());
        if (page.locator("input[name=otp]").count() > 0) {
            if (!user.hasOtp()) {
                throw new IllegalStateException("Keycloak asks " + user.username() + " for a one-time code, but the user has no seeded secret");
            }
            submitOtp(page, user.otpSecret());
        }
    }

    /**
     * Types the next unused TOTP code for {@code base32Secret} into Keycloak's one-time-code page
     * and submits it. Waits for the next 30-second step when this JVM already used the current
     * step's code for the secret, because Keycloak refuses a code twice.
     */
    public void submitOtp(Page page, String base32Secret) {
        page.locator("input[name=otp]").fill(nextUnusedCode(base32Secret));
        page.waitForNavigation(() -> page.locator("#kc-login").click());
    }

    /**
     * Completes Keycloak's "Mobile Authenticator Setup" page (the {@code CONFIGURE_TOTP} required
     * action) as a user with an authenticator app would: reveals the secret with "Unable to scan?",
     * types the current code and submits.
     *
     * @return the base32 secret of the new credential, for later logins
     * @throws IllegalStateException if the page is not the setup page
     */
    public String enrollOtp(Page page) {
        if (page.locator("#kc-totp-settings-form").count() == 0) {
            throw new IllegalStateException("Not on Keycloak's authenticator setup page: " + page.url() + " titled '" + page.title() + "'");
        }
        page.waitForNavigation(() -> page.locator("#mode-manual").click());
        String secret = page.locator("#kc-totp-secret-key").innerText().replace(" ", "").strip();
        page.locator("#totp").fill(nextUnusedCode(secret));
        page.locator("#userLabel").fill("testkit authenticator");
        page.waitForNavigation(() -> page.locator("#saveTOTPBtn").click());
        return secret;
    }

    private static String nextUnusedCode(String base32Secret) {
        synchronized (LAST_STEP) {
            long step = Totp.timeStep(Instant.now());
            Long last = LAST_STEP.get(base32Secret);
            if (last != null && last >= step) {
                step = last + 1;
                Duration wait = Duration.between(Instant.now(), Totp.stepStart(step)).plusMillis(200);
                try {
                    Thread.sleep(Math.max(0, wait.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the next TOTP step", e);
                }
            }
            LAST_STEP.put(base32Secret, step);
            return Totp.code(Totp.decodeBase32(base32Secret), step, Totp.DIGITS);
        }
    }
}
