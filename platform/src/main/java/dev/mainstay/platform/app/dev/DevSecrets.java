package dev.mainstay.platform.app.dev;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The secrets of a dev installation, made once and kept in {@code <data-dir>/secrets.properties}
 * (mode 0600): the session-cookie secret, the Keycloak client secret, Keycloak's bootstrap admin
 * password and the demo users' passwords. A dev installation is one process on one machine, so a
 * file is fine here; production takes {@code mainstay.session.secret} from configuration, shared by
 * every replica.
 *
 * @param sessionSecret  seals session cookies
 * @param clientSecret   the {@code mainstay} client's secret in the dev realm
 * @param keycloakAdmin  the dev Keycloak's bootstrap admin password (user {@code admin} in realm master)
 * @param demoPasswords  each demo user's password, in {@link #DEMO_USERS} order
 * @param newlyMade      whether this start made them (the banner prints passwords only then)
 */
record DevSecrets(String sessionSecret, String clientSecret, String keycloakAdmin, List<String> demoPasswords, boolean newlyMade) {

    /** The demo users of the dev realm, one per human role. */
    static final List<String> DEMO_USERS = List.of("admin", "maintainer", "member", "auditor");
    static final String FILE = "secrets.properties";

    /** Reads the secrets, making and storing them on first use. */
    static DevSecrets ensure(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    p.load(in);
                }
                return new DevSecrets(required(p, file, "session-secret"), required(p, file, "client-secret"),
                    required(p, file, "keycloak-admin-password"),
                    DEMO_USERS.stream().map(u -> required(p, file, "demo-password." + u)).toList(), false);
            }
            DevSecrets made = new DevSecrets(random(48), random(32), random(18),
                DEMO_USERS.stream().map(u -> random(12)).toList(), true);
            Properties p = new Properties();
            p.setProperty("session-secret", made.sessionSecret());
            p.setProperty("client-secret", made.clientSecret());
            p.setProperty("keycloak-admin-password", made.keycloakAdmin());
            for (int i = 0; i < DEMO_USERS.size(); i++) {
                p.setProperty("demo-password." + DEMO_USERS.get(i), made.demoPasswords().get(i));
            }
            Path temp = Files.createTempFile(dataDir, FILE, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temp)) {
                p.store(out, "Mainstay dev-mode secrets, made on first start. Delete the data directory to start afresh.");
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static String required(Properties p, Path file, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(file + " lacks '" + key + "'; delete the data directory to start afresh");
        }
        return value;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
