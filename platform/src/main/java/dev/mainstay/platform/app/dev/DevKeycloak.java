package dev.mainstay.platform.app.dev;

import dev.mainstay.devservices.KeycloakServer;
import dev.mainstay.devservices.MainstayRealm;
import dev.mainstay.platform.app.ConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * The local Keycloak of {@code ./mainstay dev}: Keycloak's own distribution (fetched by Maven,
 * unpacked under {@code <data-dir>/keycloak}) running {@code start-dev} with a file database, and
 * the {@code mainstay} realm imported on first start with the demo users. It starts in the
 * background while PostgreSQL starts and migrations run.
 */
final class DevKeycloak {

    private static final Logger LOG = Logger.getLogger(DevKeycloak.class.getName());

    /** The Keycloak administrator of the master realm; its password is {@link DevSecrets#keycloakAdmin()}. */
    static final String ADMIN = "admin";

    /** How long Keycloak may take to serve the realm; its first start in a data directory is the slow one. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(10);

    private final CompletableFuture<KeycloakServer> server;

    private DevKeycloak(CompletableFuture<KeycloakServer> server) {
        this.server = server;
    }

    /** Starts Keycloak in the background; {@link #await()} waits for it. */
    static DevKeycloak startInBackground(Path dataDir, int port, URI publicUrl, DevSecrets secrets) {
        KeycloakServer.Builder builder = KeycloakServer.builder()
            .home(dataDir.resolve("keycloak"))
            .httpPort(port)
            .database(KeycloakServer.Database.DEV_FILE)
            .importRealm(MainstayRealm.REALM, MainstayRealm.json())
            .environment(MainstayRealm.BASE_URL_ENV, publicUrl.toString())
            .environment(MainstayRealm.CLIENT_SECRET_ENV, secrets.clientSecret())
            .bootstrapAdmin(ADMIN, secrets.keycloakAdmin())
            .logFile(dataDir.resolve("keycloak.log"))
            // The first start unpacks Keycloak and builds it for this configuration: minutes on a small machine.
            .startupTimeout(STARTUP_TIMEOUT);
        for (int i = 0; i < DevSecrets.DEMO_USERS.size(); i++) {
            builder.environment(MainstayRealm.demoPasswordEnv(DevSecrets.DEMO_USERS.get(i)), secrets.demoPasswords().get(i));
        }
        long started = System.nanoTime();
        if (!Files.isDirectory(dataDir.resolve("keycloak"))) {
            LOG.info("Starting Keycloak for the first time in " + dataDir.resolve("keycloak")
                + ": it is unpacked and built first, which takes a few minutes (later starts are quicker)");
        }
        return new DevKeycloak(CompletableFuture.supplyAsync(() -> {
            KeycloakServer keycloak = builder.start();
            LOG.info(() -> "Keycloak ready at " + keycloak.baseUri() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return keycloak;
        }));
    }

    /**
     * Waits until Keycloak answers.
     *
     * @throws ConfigurationException when it could not start, with its reason
     */
    KeycloakServer await() {
        try {
            return server.join();
        } catch (CompletionException e) {
            throw new ConfigurationException("the dev Keycloak did not start: " + e.getCause().getMessage());
        }
    }

    /** Stops Keycloak, if it started; one still starting is stopped at the next start (its pid file). */
    void stop() {
        if (server.isDone() && !server.isCompletedExceptionally()) {
            server.join().close();
        }
    }
}
