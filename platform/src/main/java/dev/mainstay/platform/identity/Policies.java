package dev.mainstay.platform.identity;

import dev.mainstay.platform.compliance.PolicyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Loads the access and authentication policies: from {@code mainstay.policies.dir} when set,
 * else the copies built into Mainstay from the repository's {@code policies/} folder. The
 * launcher loads them before the server starts, so a malformed policy stops the start with its
 * file and line; CDI then serves the same, already checked, policies.
 *
 * @param access         roles and permissions
 * @param authentication sign-in strength, step-up and session checks
 */
public record Policies(AccessPolicy access, AuthenticationPolicy authentication) {

    static final String ACCESS_FILE = "access.yaml";
    static final String AUTHENTICATION_FILE = "authentication.yaml";

    /**
     * Loads and checks both policies.
     *
     * @throws PolicyException naming the file and line of the first problem
     */
    public static Policies load(Config config) {
        Optional<Path> dir = IdentitySettings.from(config).policiesDir().map(Path::of);
        AccessPolicy access;
        try (Reader text = open(dir, ACCESS_FILE)) {
            access = AccessPolicy.read(name(dir, ACCESS_FILE), text);
        } catch (IOException e) {
            throw new PolicyException(name(dir, ACCESS_FILE) + ": cannot be read: " + e.getMessage(), e);
        }
        try (Reader text = open(dir, AUTHENTICATION_FILE)) {
            return new Policies(access, AuthenticationPolicy.read(name(dir, AUTHENTICATION_FILE), text, access));
        } catch (IOException e) {
            throw new PolicyException(name(dir, AUTHENTICATION_FILE) + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static String name(Optional<Path> dir, String file) {
        return dir.map(d -> d.resolve(file).toString()).orElse("policies/" + file + " (built in)");
    }

    private static Reader open(Optional<Path> dir, String file) throws IOException {
        InputStream in;
        if (dir.isPresent()) {
            Path path = dir.get().resolve(file);
            if (!Files.isReadable(path)) {
                throw new PolicyException(path + ": missing or unreadable; " + IdentitySettings.POLICIES_DIR
                    + " must name a directory holding " + ACCESS_FILE + " and " + AUTHENTICATION_FILE);
            }
            in = Files.newInputStream(path);
        } else {
            in = Policies.class.getResourceAsStream("/policies/" + file);
            if (in == null) {
                throw new PolicyException("policies/" + file + " is missing from this Mainstay build");
            }
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    /** CDI access to the policies, loaded once, and to the identity settings. */
    @ApplicationScoped
    static class Producer {
        private final Policies policies = load(ConfigProvider.getConfig());
        private final IdentitySettings settings = IdentitySettings.from(ConfigProvider.getConfig());

        @Produces
        AccessPolicy access() {
            return policies.access();
        }

        @Produces
        AuthenticationPolicy authentication() {
            return policies.authentication();
        }

        @Produces
        IdentitySettings settings() {
            return settings;
        }
    }
}
